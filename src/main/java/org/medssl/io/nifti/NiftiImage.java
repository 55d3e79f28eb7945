package org.medssl.io.nifti;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.medssl.MedsslException;
import org.medssl.image.Affine;
import org.medssl.image.Grid;
import org.medssl.image.LabelMap;
import org.medssl.image.Orientation;
import org.medssl.image.Volume;

/**
 * A NIfTI file in memory: its header and its voxels after scaling, x fastest, then y, z, and 4D
 * frames slowest (the file's own order). Treated as immutable.
 *
 * @param source the file it came from, named in error messages
 */
public record NiftiImage(NiftiHeader header, float[] data, String source) {

  /** Largest distance from an integer a voxel may have and still count as a label. */
  private static final double LABEL_TOLERANCE = 1e-3;

  public NiftiImage {
    if (data.length != header.voxelCount()) {
      throw new IllegalArgumentException("header " + header.shapeString() + " needs "
          + header.voxelCount() + " voxels, got " + data.length);
    }
  }

  public NiftiImage(NiftiHeader header, float[] data) {
    this(header, data, "<memory>");
  }

  /** Grid of one 3D frame. */
  public Grid grid() {
    return header.grid();
  }

  /** Number of 3D frames (1 for a 3D image). */
  public int frames() {
    return (int) header.frames();
  }

  /**
   * One 3D frame. A single-frame image shares its voxel array with the volume (both are treated
   * as immutable); frames of a 4D image are copied out.
   */
  public Volume volume(int frame) {
    if (frame < 0 || frame >= frames()) {
      throw new MedsslException(source + ": frame " + frame + " does not exist (the image has "
          + frames() + " frame" + (frames() == 1 ? "" : "s") + ")");
    }
    Grid grid = grid();
    if (frames() == 1) {
      return new Volume(grid, data);
    }
    int n = grid.size();
    return new Volume(grid, Arrays.copyOfRange(data, frame * n, (frame + 1) * n));
  }

  /** The image as one 3D volume; a 4D image must say which frame it wants. */
  public Volume volume() {
    requireSingleFrame();
    return volume(0);
  }

  /**
   * The voxels as integer labels. Values must be within 1e-3 of an integer (scaled label files
   * carry float noise); anything else means this is not a label map.
   */
  public LabelMap labels() {
    requireSingleFrame();
    int[] labels = new int[data.length];
    for (int i = 0; i < data.length; i++) {
      float v = data[i];
      double rounded = Math.rint(v);
      if (!(Math.abs(v - rounded) <= LABEL_TOLERANCE) || Math.abs(rounded) > Integer.MAX_VALUE) {
        throw new MedsslException(source + ": not a label map: voxel " + voxelString(i)
            + " is " + v + ", not an integer label");
      }
      labels[i] = (int) rounded;
    }
    return new LabelMap(grid(), labels);
  }

  /** A multi-line summary for {@code medssl inspect}. */
  public String describe(Path path) {
    NiftiHeader h = header;
    Affine affine = h.affine();
    Grid grid = grid();
    StringBuilder sb = new StringBuilder();
    line(sb, "file", path.toString());
    line(sb, "format", "NIfTI-" + h.version() + ", " + h.byteOrder().toString().toLowerCase(
        Locale.ROOT).replace('_', '-') + ", header " + h.headerSize() + " bytes, voxels at byte "
        + h.voxOffset());
    line(sb, "datatype", h.datatype() + " (code " + h.datatype().code() + ")");
    line(sb, "shape", h.shapeString() + (frames() > 1 ? "  (" + frames() + " frames)" : ""));
    line(sb, "spacing", spacingString(grid, affine));
    line(sb, "orientation", Orientation.axisCodes(affine));
    line(sb, "qform", formString(h.qformCode()));
    line(sb, "sform", formString(h.sformCode()));
    line(sb, "affine", "from " + (h.sformCode() != 0 ? "sform" : h.qformCode() != 0 ? "qform"
        : "pixdim only (no qform or sform: x flipped, origin at the centre, as nibabel)"));
    for (int r = 0; r < 3; r++) {
      line(sb, "", String.format(Locale.ROOT, "[%10.4f %10.4f %10.4f %10.4f]",
          affine.get(r, 0), affine.get(r, 1), affine.get(r, 2), affine.get(r, 3)));
    }
    boolean identity = !h.hasScaling() || h.sclSlope() == 1 && h.sclInter() == 0;
    line(sb, "scaling", (identity ? "none (" : "") + "slope " + num(h.sclSlope()) + ", inter "
        + num(h.sclInter()) + (identity ? ")" : ""));
    line(sb, "values", valueSummary());
    line(sb, "description", h.descrip().isEmpty() ? "(none)" : "\"" + h.descrip() + "\"");
    return sb.toString();
  }

  private void requireSingleFrame() {
    if (frames() > 1) {
      throw new MedsslException(source + ": 4D image " + header.shapeString() + " has "
          + frames() + " frames; choose one frame");
    }
  }

  private String voxelString(int index) {
    long[] idx = new long[Math.max(header.ndim(), 1)];
    long rest = index;
    for (int axis = 0; axis < idx.length; axis++) {
      idx[axis] = rest % header.size(axis + 1);
      rest /= header.size(axis + 1);
    }
    return Arrays.toString(idx).replace('[', '(').replace(']', ')');
  }

  /** Spacing from pixdim, with the affine's own column lengths when they disagree. */
  private static String spacingString(Grid grid, Affine affine) {
    double[] s = grid.spacingMm();
    double[] norms = affine.columnNorms();
    String text = num(s[0]) + " x " + num(s[1]) + " x " + num(s[2]) + " mm";
    for (int i = 0; i < 3; i++) {
      if (Math.abs(norms[i] - s[i]) > 1e-3 * Math.max(1, s[i])) {
        return text + "  (pixdim; the affine implies " + num(norms[0]) + " x " + num(norms[1])
            + " x " + num(norms[2]) + ")";
      }
    }
    return text;
  }

  private String valueSummary() {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    long finite = 0;
    long nan = 0;
    for (float v : data) {
      if (Float.isNaN(v)) {
        nan++;
      } else if (Float.isFinite(v)) {
        min = Math.min(min, v);
        max = Math.max(max, v);
        sum += v;
        finite++;
      }
    }
    long infinite = data.length - finite - nan;
    String range = finite == 0 ? "no finite values"
        : "min " + num(min) + ", max " + num(max) + ", mean " + num(sum / finite);
    return range + ", NaN " + nan + (infinite > 0 ? ", infinite " + infinite : "");
  }

  private static String formString(int code) {
    String name = switch (code) {
      case 0 -> "unknown (not used)";
      case 1 -> "scanner";
      case 2 -> "aligned";
      case 3 -> "talairach";
      case 4 -> "mni";
      case 5 -> "template";
      default -> "invalid";
    };
    return "code " + code + " " + name;
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.6g", v).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2")
        .replaceAll("\\.(e|$)", "$1");
  }

  private static void line(StringBuilder sb, String key, String value) {
    sb.append(String.format(Locale.ROOT, "%-12s %s", key, value)).append('\n');
  }
}
