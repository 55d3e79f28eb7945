package org.medssl.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.medssl.io.nifti.NiftiImage;
import org.medssl.io.nifti.NiftiReader;

/**
 * Decoding speed of {@link NiftiReader} (gunzip, header checks, voxels to float with scaling):
 * each file read {@value #WARMUP} times untimed (so the JIT has compiled the decoding loops), then
 * {@code repeats} times. {@code bench/nifti_nibabel.py} times
 * nibabel's {@code get_fdata(dtype=float32)} on the same files.
 */
public record NiftiDecode(List<FileResult> files) {
  static final int WARMUP = 3;

  /** Megavoxels per second at the median read time. */
  public record FileResult(String file, String shape, double megavoxels, Stats readMs, double megavoxelsPerSecond) {}

  public static NiftiDecode measure(List<Path> paths, int repeats) {
    List<FileResult> out = new ArrayList<>();
    for (Path p : paths) {
      NiftiImage[] last = new NiftiImage[1];
      Stats ms = Stats.of(Timing.millis(WARMUP, repeats, () -> last[0] = NiftiReader.read(p)));
      double mvox = last[0].data().length / 1e6;
      out.add(new FileResult(p.getFileName().toString(), last[0].grid().shapeString(), mvox, ms,
          mvox * 1000 / ms.median()));
    }
    return new NiftiDecode(out);
  }
}
