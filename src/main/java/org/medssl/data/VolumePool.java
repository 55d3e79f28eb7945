package org.medssl.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.medssl.MedsslException;
import org.medssl.image.Grid;
import org.medssl.image.Slices;
import org.medssl.image.Volume;

/**
 * The preprocessed volumes of a pretraining pool, held so that a pool larger than memory still
 * trains: volumes stay in the heap until {@link Budget#heapBytes} are used; later ones are written
 * once to a spill file and memory-mapped read-only, so the operating system keeps in memory what
 * sampling touches and drops the rest under pressure (nnU-Net's memory-mapped preprocessed
 * arrays, here with Java NIO). The spill file is unlinked as soon as it is open: nothing is left
 * on disk after the run, even after a kill.
 *
 * <p>Reads are absolute and never move a buffer's position, so loader threads may read at once.
 * Spilled volumes are mapped at the first read, in views of up to 1 GiB; the spill file's blocks
 * are freed when those views are garbage-collected (Java has no supported unmap).
 */
public final class VolumePool implements AutoCloseable {
  private static final double GIB = 1024.0 * 1024 * 1024;
  /** One mapping holds at most this much (a Java buffer is int-indexed). */
  private static final long MAX_MAPPED_VOLUME = Integer.MAX_VALUE;

  /**
   * How much of a pool the heap holds, and where the rest is spilled.
   *
   * @param heapBytes volumes beyond this many bytes in the heap are memory-mapped
   * @param spillDir the directory of the (unlinked) spill file: on disk, not a RAM-backed tmpfs
   */
  public record Budget(long heapBytes, Path spillDir) {
    public Budget {
      if (heapBytes < 0) {
        throw new MedsslException("--pool-memory: must be at least 0 GiB, got " + heapBytes / GIB);
      }
    }

    /** {@code gib} GiB in the heap (null: the default, 2 GiB or half the heap, whichever is less). */
    public static Budget of(Double gib, Path spillDir) {
      long bytes = gib == null ? Math.min(2L << 30, Runtime.getRuntime().maxMemory() / 2) : (long) (gib * GIB);
      return new Budget(bytes, spillDir);
    }
  }

  /** Spilled volumes are mapped in views of up to this many bytes: few mappings, well under vm.max_map_count. */
  private static final long CHUNK = 1L << 30;

  private final Budget budget;
  private final List<Grid> grids = new ArrayList<>();
  /** Per volume, its voxels in the heap, or null when it is spilled. */
  private final List<float[]> inHeap = new ArrayList<>();
  /** Per volume, its byte offset in the spill file, or -1 when it is in the heap. */
  private final List<Long> spillOffset = new ArrayList<>();
  /** Per volume, the mapped view holding it and its first float there; filled by {@link #mapSpilled}. */
  private final List<FloatBuffer> view = new ArrayList<>();
  private final List<Integer> viewStart = new ArrayList<>();
  /** How many volumes {@link #mapSpilled} has covered; reads map first when volumes were added since. */
  private volatile int mappedUpTo;
  private long heapBytes;
  private long spilledBytes;
  private FileChannel spill;

  public VolumePool(Budget budget) {
    this.budget = budget;
  }

  /** A pool that keeps every volume in the heap. */
  public static VolumePool inHeap(List<Volume> volumes) {
    VolumePool pool = new VolumePool(new Budget(Long.MAX_VALUE, Path.of(".")));
    volumes.forEach(pool::add);
    return pool;
  }

  /** Adds a volume; not to be called while other threads read. */
  public synchronized void add(Volume v) {
    long bytes = 4L * v.voxels().length;
    grids.add(v.grid());
    view.add(null);
    viewStart.add(0);
    if (heapBytes + bytes <= budget.heapBytes() || bytes > MAX_MAPPED_VOLUME) {
      inHeap.add(v.voxels());
      spillOffset.add(-1L);
      heapBytes += bytes;
    } else {
      inHeap.add(null);
      spillOffset.add(spillOut(v.voxels()));
      spilledBytes += bytes;
    }
  }

  public int size() {
    return grids.size();
  }

  public Grid grid(int i) {
    return grids.get(i);
  }

  /** Volume {@code i}; a spilled one is copied out of its mapping. */
  public Volume volume(int i) {
    float[] heap = inHeap.get(i);
    if (heap != null) {
      return new Volume(grids.get(i), heap);
    }
    float[] out = new float[grids.get(i).size()];
    spilledView(i).get(viewStart.get(i), out);
    return new Volume(grids.get(i), out);
  }

  /** Slice {@code index} along {@code axis}, as {@link Slices#slice}; an axial slice of a spilled volume reads only its pages. */
  public float[] slice(int i, int axis, int index) {
    Grid g = grids.get(i);
    if (inHeap.get(i) != null || axis != 2) {
      return Slices.slice(volume(i), axis, index);
    }
    if (index < 0 || index >= g.nz()) {
      throw new IndexOutOfBoundsException("slice " + index + " of " + g.nz() + " along axis 2");
    }
    float[] out = new float[g.nx() * g.ny()];
    spilledView(i).get(viewStart.get(i) + index * out.length, out); // x fastest, then y: contiguous
    return out;
  }

  private FloatBuffer spilledView(int i) {
    if (mappedUpTo < grids.size()) {
      mapSpilled();
    }
    return view.get(i);
  }

  /** Maps the spilled volumes not yet mapped, consecutive ones sharing a view of up to {@link #CHUNK} bytes. */
  private synchronized void mapSpilled() {
    int i = mappedUpTo;
    try {
      while (i < grids.size()) {
        if (spillOffset.get(i) < 0) {
          i++;
          continue;
        }
        long from = spillOffset.get(i);
        int end = i;
        long to = from;
        while (end < grids.size() && spillOffset.get(end) == to && to + 4L * grids.get(end).size() - from <= CHUNK) {
          to += 4L * grids.get(end).size();
          end++;
        }
        if (end == i) { // one volume larger than a chunk (at most MAX_MAPPED_VOLUME): a view of its own
          to = from + 4L * grids.get(i).size();
          end = i + 1;
        }
        FloatBuffer chunk = spill.map(FileChannel.MapMode.READ_ONLY, from, to - from).order(ByteOrder.LITTLE_ENDIAN)
            .asFloatBuffer();
        for (int k = i; k < end; k++) {
          view.set(k, chunk);
          viewStart.set(k, (int) ((spillOffset.get(k) - from) / 4));
        }
        i = end;
      }
    } catch (IOException e) {
      throw new MedsslException(budget.spillDir() + ": cannot map the spilled pretraining pool (" + e.getMessage()
          + ")");
    }
    mappedUpTo = i;
  }

  public boolean spilled() {
    return spilledBytes > 0;
  }

  /** "3000 volumes, 2.0 GiB in the heap, 4.6 GiB memory-mapped from an unlinked spill file in DIR". */
  public String describe() {
    return String.format(Locale.ROOT, "%d volumes, %.1f GiB in the heap, %.1f GiB memory-mapped from an unlinked"
        + " spill file in %s (--pool-memory sets the heap's share)", size(), heapBytes / GIB, spilledBytes / GIB,
        budget.spillDir());
  }

  /** Appends the voxels to the spill file; returns their byte offset there. */
  private long spillOut(float[] voxels) {
    try {
      if (spill == null) {
        spill = openSpill();
      }
      long at = spill.size();
      ByteBuffer bytes = ByteBuffer.allocate(4 * voxels.length).order(ByteOrder.LITTLE_ENDIAN);
      bytes.asFloatBuffer().put(voxels);
      long pos = at;
      while (bytes.hasRemaining()) {
        pos += spill.write(bytes, pos);
      }
      return at;
    } catch (IOException e) {
      throw new MedsslException(budget.spillDir() + ": cannot spill the pretraining pool (" + e.getMessage()
          + "); free disk space there or raise --pool-memory");
    }
  }

  private FileChannel openSpill() throws IOException {
    Files.createDirectories(budget.spillDir());
    Path file = Files.createTempFile(budget.spillDir(), ".medssl-pool-", ".f32");
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
        StandardOpenOption.DELETE_ON_CLOSE);
    try {
      Files.deleteIfExists(file); // POSIX: the open channel and its mappings stay valid
    } catch (IOException e) {
      // Windows keeps an open file; DELETE_ON_CLOSE removes it at close instead.
    }
    return channel;
  }

  /** Closes the spill file; mappings already handed out stay readable until they are collected. */
  @Override
  public void close() {
    if (spill != null) {
      try {
        spill.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
