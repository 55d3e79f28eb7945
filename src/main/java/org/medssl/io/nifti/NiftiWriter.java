package org.medssl.io.nifti;

import org.medssl.io.AtomicFiles;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import org.medssl.MedsslException;
import org.medssl.image.Affine;
import org.medssl.image.Grid;
import org.medssl.image.LabelMap;
import org.medssl.image.Volume;

/**
 * Writes volumes and label maps as NIfTI-1 (NIfTI-2 when the template is NIfTI-2 or a dimension
 * exceeds NIfTI-1's 32767), little-endian, gzip-compressed when the name ends in {@code .gz}.
 *
 * <p>Geometry: with a template that has a qform or sform and whose affine equals the grid's, the
 * template's qform and sform (codes and parameters) are kept exactly. Otherwise (no template, or the grid moved, e.g. after
 * cropping) both are set from the grid affine like nibabel's {@code Nifti1Image(data, affine)}:
 * sform = affine with code 2 (aligned) or the template's nonzero code; qform parameters derived
 * from the affine (shears stripped) with code 0 (unknown) or the template's nonzero code.
 *
 * <p>Files are written through {@link AtomicFiles} (a temporary file in the same directory,
 * flushed to disk and renamed over the target), so an interrupted write never leaves a partial
 * file under the final name.
 */
public final class NiftiWriter {

  private static final int XYZT_MM_SEC = 2 | 8;
  private static final int SFORM_ALIGNED = 2;
  /** nibabel's default level: several times faster than 6, and images shrink nearly as much. */
  private static final int GZIP_LEVEL = 1;
  private static final int STREAM_BUFFER = 1 << 16;
  private static final int CHUNK_VOXELS = 1 << 17;

  private NiftiWriter() {}

  /**
   * Writes one volume. Integer types store the values as they are when they are whole numbers in
   * range, else through scl_slope/scl_inter spanning the value range (as nibabel does).
   *
   * @param template header to take geometry codes, description and intent from; may be null
   */
  public static void write(Path path, Volume volume, NiftiHeader template, NiftiDataType type) {
    writeFrames(path, List.of(volume), template, type);
  }

  /** Writes a 4D image whose frames share one grid (a single frame writes a 3D image). */
  public static void writeFrames(Path path, List<Volume> frames, NiftiHeader template,
      NiftiDataType type) {
    Grid grid = commonGrid(path, frames);
    double[] scaling = scaling(path, frames, type);
    NiftiHeader header = header(grid, frames.size(), type, scaling[0], scaling[1], template);
    writeAtomically(path, header, out -> {
      ByteBuffer buffer = chunkBuffer(header);
      for (Volume frame : frames) {
        float[] voxels = frame.voxels();
        for (int from = 0; from < voxels.length; from += CHUNK_VOXELS) {
          buffer.clear();
          VoxelEncoder.encode(voxels, from, Math.min(CHUNK_VOXELS, voxels.length - from), type,
              header.sclSlope(), header.sclInter(), buffer);
          out.write(buffer.array(), 0, buffer.position());
        }
      }
    });
  }

  /** Writes a label map as uint8 when labels fit 0..255, else int16, else int32; no scaling. */
  public static void writeLabels(Path path, LabelMap labels, NiftiHeader template) {
    NiftiDataType type = labelType(labels.labels());
    NiftiHeader header = header(labels.grid(), 1, type, 1, 0, template);
    writeAtomically(path, header, out -> {
      ByteBuffer buffer = chunkBuffer(header);
      int[] values = labels.labels();
      for (int from = 0; from < values.length; from += CHUNK_VOXELS) {
        buffer.clear();
        VoxelEncoder.encode(values, from, Math.min(CHUNK_VOXELS, values.length - from), type,
            buffer);
        out.write(buffer.array(), 0, buffer.position());
      }
    });
  }

  private static Grid commonGrid(Path path, List<Volume> frames) {
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("no frames to write");
    }
    Grid grid = frames.get(0).grid();
    for (Volume frame : frames) {
      if (!frame.grid().sameGeometry(grid)) {
        throw new MedsslException(path + ": cannot write frames on different grids as one image ("
            + grid.shapeString() + " and " + frame.grid().shapeString() + ")");
      }
    }
    return grid;
  }

  /** {slope, inter} that fit the values into an integer type; {1, 0} when they fit as they are. */
  private static double[] scaling(Path path, List<Volume> frames, NiftiDataType type) {
    if (!type.isInteger()) {
      return new double[] {1, 0};
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    boolean whole = true;
    for (Volume frame : frames) {
      for (float v : frame.voxels()) {
        if (!Float.isFinite(v)) {
          throw new MedsslException(path + ": cannot store NaN or infinite voxels as " + type
              + "; write float32 instead");
        }
        min = Math.min(min, v);
        max = Math.max(max, v);
        whole &= v == Math.rint(v);
      }
    }
    if (whole && min >= type.minValue() && max <= type.maxValue()) {
      return new double[] {1, 0};
    }
    if (max == min) {
      return new double[] {1, min};
    }
    // Rounded to float because NIfTI-1 stores them as float32; encoding must use stored values.
    float slope = (float) ((max - min) / (type.maxValue() - type.minValue()));
    float inter = (float) (min - type.minValue() * slope);
    return new double[] {slope, inter};
  }

  private static NiftiDataType labelType(int[] labels) {
    int min = 0;
    int max = 0;
    for (int v : labels) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    if (min >= 0 && max <= 255) {
      return NiftiDataType.UINT8;
    }
    return min >= Short.MIN_VALUE && max <= Short.MAX_VALUE ? NiftiDataType.INT16
        : NiftiDataType.INT32;
  }

  /** The qform and sform fields of a header, with pixdim[0..3] that belong to the qform. */
  private record Geometry(int qformCode, int sformCode, Qform qform, double[][] srow) {

    static Geometry of(NiftiHeader h) {
      double[] p = h.pixdim();
      Qform q = new Qform(h.quaternB(), h.quaternC(), h.quaternD(), p[0],
          new double[] {p[1], p[2], p[3]}, new double[] {h.qoffsetX(), h.qoffsetY(), h.qoffsetZ()});
      return new Geometry(h.qformCode(), h.sformCode(), q,
          new double[][] {h.srowX(), h.srowY(), h.srowZ()});
    }

    static Geometry of(Affine affine, NiftiHeader template) {
      int sform = template != null && template.sformCode() > 0 ? template.sformCode()
          : SFORM_ALIGNED;
      int qform = template != null ? Math.max(template.qformCode(), 0) : 0;
      double[][] srow = new double[3][4];
      for (int r = 0; r < 3; r++) {
        for (int c = 0; c < 4; c++) {
          srow[r][c] = affine.get(r, c);
        }
      }
      return new Geometry(qform, sform, Qform.fromAffine(affine), srow);
    }
  }

  private static NiftiHeader header(Grid grid, int frames, NiftiDataType type, double slope,
      double inter, NiftiHeader template) {
    // Without a qform or sform the template's affine depends on its shape (centred origin), so
    // only coded geometry can be kept as it is.
    boolean keep = template != null && (template.qformCode() != 0 || template.sformCode() != 0)
        && template.affine().approxEquals(grid.affine(), 1e-4);
    Geometry g = keep ? Geometry.of(template) : Geometry.of(grid.affine(), template);
    int version = template != null && template.version() == 2 || tooBigForNifti1(grid, frames)
        ? 2 : 1;
    double[] pixdim = template != null ? template.pixdim() : new double[] {1, 1, 1, 1, 1, 1, 1, 1};
    pixdim[0] = g.qform().qfac();
    System.arraycopy(g.qform().zooms(), 0, pixdim, 1, 3);
    long[] dim = {frames > 1 ? 4 : 3, grid.nx(), grid.ny(), grid.nz(), frames, 1, 1, 1};
    Qform q = g.qform();
    return new NiftiHeader(version, ByteOrder.LITTLE_ENDIAN, dim, pixdim, type, type.bitpix(),
        version == 1 ? NiftiHeader.NIFTI1_HEADER_SIZE + 4 : NiftiHeader.NIFTI2_HEADER_SIZE + 4,
        slope, inter, XYZT_MM_SEC, g.qformCode(), g.sformCode(), q.b(), q.c(), q.d(),
        q.offset()[0], q.offset()[1], q.offset()[2], g.srow()[0], g.srow()[1], g.srow()[2],
        template != null ? template.descrip() : "", template != null ? template.intentCode() : 0);
  }

  private static boolean tooBigForNifti1(Grid grid, int frames) {
    int largest = Math.max(Math.max(grid.nx(), grid.ny()), Math.max(grid.nz(), frames));
    return largest > NiftiHeaderCodec.NIFTI1_MAX_DIM;
  }

  private static ByteBuffer chunkBuffer(NiftiHeader header) {
    return ByteBuffer.allocate(CHUNK_VOXELS * header.datatype().bytesPerVoxel())
        .order(header.byteOrder());
  }

  /** Writes the voxels after the header. */
  private interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Header then voxels, through {@link AtomicFiles} (temp file, fsync, rename). */
  private static void writeAtomically(Path path, NiftiHeader header, Body body) {
    byte[] headerBytes = NiftiHeaderCodec.encode(header);
    if (!isGzipName(path)) {
      AtomicFiles.write(path, out -> {
        out.write(headerBytes);
        body.writeTo(out);
      });
      return;
    }
    AtomicFiles.write(path, out -> {
      // Finished but not closed: closing would close the file before AtomicFiles syncs it.
      LevelGzipOutputStream gzip = new LevelGzipOutputStream(out, GZIP_LEVEL);
      try {
        gzip.write(headerBytes);
        body.writeTo(gzip);
        gzip.finish();
      } finally {
        gzip.releaseDeflater();
      }
    });
  }

  private static boolean isGzipName(Path path) {
    return path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
  }

  /** GZIPOutputStream with a chosen compression level (the JDK class fixes the default). */
  private static final class LevelGzipOutputStream extends GZIPOutputStream {
    LevelGzipOutputStream(OutputStream out, int level) throws IOException {
      super(out, STREAM_BUFFER);
      def.setLevel(level);
    }

    /** Frees the native zlib state now rather than at garbage collection. */
    void releaseDeflater() {
      def.end();
    }
  }
}
