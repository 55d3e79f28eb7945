package org.medssl.study.report;

import org.medssl.study.config.InitSpec;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.medssl.io.AtomicFiles;

/** Shared drawing for the study's figures: colours, fonts, the provenance footer and atomic PNG writes. */
final class Canvas {
  /** Colour-blind-safe palette (Okabe–Ito), then a few extra hues for long method lists. */
  private static final Color[] PALETTE = {new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115),
      new Color(204, 121, 167), new Color(230, 159, 0), new Color(86, 180, 233), new Color(120, 80, 30),
      new Color(140, 140, 0), new Color(90, 60, 160)};
  static final Color REFERENCE = new Color(40, 40, 40);
  static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 18);
  static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
  static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

  private Canvas() {}

  static Color color(List<String> methods, String method) {
    if (InitSpec.REFERENCE.equals(method)) {
      return REFERENCE;
    }
    int i = Math.max(0, methods.indexOf(method));
    return PALETTE[i % PALETTE.length];
  }

  static Color budgetColor(int index, int count) {
    // Light to dark blue: more labels, darker line.
    float t = count <= 1 ? 1f : index / (float) (count - 1);
    return new Color(Math.round(150 - 130 * t), Math.round(190 - 120 * t), Math.round(240 - 80 * t));
  }

  static Color withAlpha(Color c, int alpha) {
    return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
  }

  static Graphics2D graphics(BufferedImage img) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    return g;
  }

  /** The image with a footer line naming the study, config and version, so a figure copied elsewhere stays traceable. */
  static BufferedImage withFooter(BufferedImage img, String footer) {
    int h = 28;
    BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight() + h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = graphics(out);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, out.getWidth(), out.getHeight());
    g.drawImage(img, 0, 0, null);
    g.setColor(new Color(90, 90, 90));
    g.setFont(SMALL);
    g.drawString(footer, 10, img.getHeight() + 19);
    g.dispose();
    return out;
  }

  static void writePng(BufferedImage img, Path file) {
    AtomicFiles.write(file, out -> {
      if (!ImageIO.write(img, "png", out)) {
        throw new IllegalStateException("no PNG writer in this Java runtime");
      }
    });
  }
}
