package org.medssl.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.testkit.CliRun;

/**
 * The viewer page in a real browser (Debian's headless Chromium, WebGL2 through SwiftShader): the
 * page reports every volume loaded with its dimensions and no script error, and the screenshot
 * shows the scan in each of its four panels (three planes and the 3D rendering). Skipped, not
 * passed, where Chromium is absent ({@code .ci/run} installs it).
 */
class ViewerPageTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @TempDir
  static Path dir;
  static Path page;

  @BeforeAll
  static void writeAPage() {
    Path data = dir.resolve("ph");
    assertEquals(0, CliRun.of("data", "phantom", "--out", data.toString(), "--subjects", "3", "--seed", "3").code());
    page = dir.resolve("view.html");
    CliRun view = CliRun.of("view", data.resolve("imagesTr/phantom_000.nii.gz").toString(), "--overlay",
        data.resolve("labelsTr/phantom_000.nii.gz").toString(), "--out", page.toString());
    assertEquals(0, view.code(), view.err());
  }

  @Test
  void thePageIsSelfContained() throws IOException {
    String html = Files.readString(page);
    assertFalse(html.matches("(?s).*<script[^>]+src=.*"), "no external script");
    assertFalse(html.contains("http://") && html.contains("<link"), "no external stylesheet");
    assertTrue(html.contains("Copyright (c) 2021, Niivue"), "the viewer's licence travels with it");
  }

  @Test
  void chromiumLoadsEveryVolumeWithoutErrors() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM), "Debian chromium");
    String dom = chromium("--dump-dom", page.toUri().toString());
    assertTrue(dom.contains("data-ready=\"true\""), "the page reports ready: " + head(dom));
    assertFalse(dom.contains("data-error"), "a script error: " + head(dom));
    assertTrue(dom.contains("imagesTr/phantom_000.nii.gz: 96x96x32; labelsTr/phantom_000.nii.gz: 96x96x32"),
        "volume names and dimensions: " + head(dom));
  }

  @Test
  void theScreenshotShowsTheScanInAllFourPanels() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM), "Debian chromium");
    Path shot = dir.resolve("view.png");
    chromium("--window-size=1200,800", "--screenshot=" + shot, page.toUri().toString());
    BufferedImage image = ImageIO.read(shot.toFile());
    // the canvas is the pure-black box (the page around it is #111)
    int left = Integer.MAX_VALUE, right = -1, top = Integer.MAX_VALUE, bottom = -1;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xffffff) == 0) {
          left = Math.min(left, x);
          right = Math.max(right, x);
          top = Math.min(top, y);
          bottom = Math.max(bottom, y);
        }
      }
    }
    assertTrue(right - left > 800 && bottom - top > 400, "a canvas box " + left + ".." + right + " x " + top + ".." + bottom);
    List<Double> shown = new ArrayList<>();
    int width = (right - left + 1) / 4;
    for (int panel = 0; panel < 4; panel++) {
      int lit = 0;
      for (int y = top; y <= bottom; y++) {
        for (int x = left + panel * width; x < left + (panel + 1) * width; x++) {
          int rgb = image.getRGB(x, y);
          lit += ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff) > 60 ? 1 : 0;
        }
      }
      shown.add(lit / (double) (width * (bottom - top + 1)));
    }
    assertTrue(shown.stream().allMatch(f -> f > 0.03), "fraction of lit pixels per panel " + shown);
  }

  private static String chromium(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--virtual-time-budget=30000", "--user-data-dir=" + dir.resolve("profile")));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium finishes");
    return out;
  }

  private static String head(String dom) {
    int body = dom.indexOf("<body");
    return dom.substring(Math.max(0, body), Math.min(dom.length(), body + 400));
  }
}
