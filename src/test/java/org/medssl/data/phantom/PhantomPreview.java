package org.medssl.data.phantom;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.medssl.image.Grid;

/**
 * Writes a contact sheet of phantom slices as PNG, for looking at the generator by eye (not a
 * test; PNGs are not committed). Rows are subjects; columns are axial slices at 30/50/70 % of z
 * followed by the same slices with labels tinted, then a coronal slice.
 *
 * <p>{@code java -cp target/classes:target/test-classes org.medssl.data.phantom.PhantomPreview
 * out.png [subjects] [firstSeed] [version]}
 */
public final class PhantomPreview {

  private static final int[][] COLOURS = {{0, 0, 0}, {230, 90, 40}, {60, 200, 80}, {70, 120, 255}};

  private PhantomPreview() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "phantoms.png");
    int subjects = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    long first = args.length > 2 ? Long.parseLong(args[2]) : 1;
    int version = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    PhantomGenerator gen = new PhantomGenerator(PhantomConfig.defaults(version));
    Grid g = gen.config().grid();
    double[] zs = {0.3, 0.5, 0.7};
    int tileW = g.nx();
    int tileH = g.ny();
    int coronalH = (int) Math.round(g.nz() * g.spacing(2) / g.spacing(0));
    BufferedImage sheet = new BufferedImage(tileW * 7, Math.max(tileH, coronalH) * subjects,
        BufferedImage.TYPE_INT_RGB);
    for (int s = 0; s < subjects; s++) {
      long t0 = System.nanoTime();
      PhantomSubject subject = gen.generate(first + s);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      float[] v = subject.image().voxels();
      float hi = percentile(v, 99.5);
      int[] counts = new int[4];
      for (int l : subject.labels().labels()) {
        counts[l]++;
      }
      System.out.printf("seed %d: %d ms, counts %s, p99.5 %.0f%n", first + s, ms,
          Arrays.toString(counts), hi);
      for (int c = 0; c < 3; c++) {
        int z = (int) (zs[c] * g.nz());
        drawAxial(sheet, subject, z, hi, c * tileW, s * tileH, false);
        drawAxial(sheet, subject, z, hi, (c + 3) * tileW, s * tileH, true);
      }
      drawCoronal(sheet, subject, hi, 6 * tileW, s * tileH, coronalH);
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    ImageIO.write(doubled(sheet), "png", out.toFile());
  }

  private static void drawAxial(BufferedImage img, PhantomSubject s, int z, float hi, int ox, int oy,
      boolean tint) {
    Grid g = s.image().grid();
    for (int y = 0; y < g.ny(); y++) {
      for (int x = 0; x < g.nx(); x++) {
        img.setRGB(ox + x, oy + y, rgb(s.image().get(x, y, z), hi, tint ? s.labels().get(x, y, z) : 0));
      }
    }
  }

  /** Coronal slice through the kidneys, superior at the top, stretched to square pixels. */
  private static void drawCoronal(BufferedImage img, PhantomSubject s, float hi, int ox, int oy,
      int height) {
    Grid g = s.image().grid();
    int y = (int) (0.62 * g.ny());
    for (int r = 0; r < height; r++) {
      int z = g.nz() - 1 - (int) ((r + 0.5) * g.nz() / height);
      for (int x = 0; x < g.nx(); x++) {
        img.setRGB(ox + x, oy + r, rgb(s.image().get(x, y, z), hi, 0));
      }
    }
  }

  /** Nearest-neighbour 2x, so single voxels are visible in a viewer. */
  private static BufferedImage doubled(BufferedImage in) {
    BufferedImage out = new BufferedImage(in.getWidth() * 2, in.getHeight() * 2,
        BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < out.getHeight(); y++) {
      for (int x = 0; x < out.getWidth(); x++) {
        out.setRGB(x, y, in.getRGB(x / 2, y / 2));
      }
    }
    return out;
  }

  private static int rgb(float v, float hi, int label) {
    int grey = (int) Math.max(0, Math.min(255, 255 * v / hi));
    if (label == 0) {
      return grey << 16 | grey << 8 | grey;
    }
    int[] c = COLOURS[label];
    int r = (grey + c[0]) / 2;
    int gr = (grey + c[1]) / 2;
    int b = (grey + c[2]) / 2;
    return r << 16 | gr << 8 | b;
  }

  private static float percentile(float[] v, double p) {
    float[] sorted = v.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, p / 100 * sorted.length)];
  }
}
