package org.medssl.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.medssl.viewer.ViewerPage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code medssl view}: an interactive viewer page for a scan and its label maps. */
@Command(name = "view", mixinStandardHelpOptions = true,
    description = "Write one self-contained HTML page (NiiVue: three planes + 3D, one crosshair) showing a scan and"
        + " label maps as overlays that switch on and off; it opens offline in any WebGL2 browser.")
final class ViewCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SCAN", description = "The scan (.nii / .nii.gz).")
  Path scan;

  @Option(names = "--overlay", paramLabel = "LABELS", description = "A label map to overlay (repeatable).")
  List<Path> overlays = new ArrayList<>();

  @Option(names = "--out", required = true, description = "The page to write, e.g. view.html.")
  Path out;

  @Override
  public Integer call() {
    List<ViewerPage.Layer> layers = new ArrayList<>(List.of(ViewerPage.Layer.of(scan, false)));
    overlays.forEach(o -> layers.add(ViewerPage.Layer.of(o, true)));
    ViewerPage.write(out, scan.getFileName().toString(), layers);
    System.out.println("wrote " + out + " (" + layers.size() + " volume(s)); open it in a browser");
    return 0;
  }
}
