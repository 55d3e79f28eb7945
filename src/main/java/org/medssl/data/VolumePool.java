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

  /** One volume: its grid, and its voxels in the heap or its byte offset in the spill file (-1: in the heap). */
  private record Entry(Grid grid, float[] heap, long spillOffset) {
    long bytes() {
      return 4L * grid.size();
    }
  }

  /** Where a spilled volume is readable: a mapped view and the index of its first float there. */
  private record Mapped(FloatBuffer view, int start) {}

  private final Budget budget;
  private final List<Entry> entries = new ArrayList<>();
  /** Per spilled volume, its mapping once {@link #mapSpilled} has run; null for volumes in the heap. */
  private final List<Mapped> mapped = new ArrayList<>();
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
    mapped.add(null);
    if (heapBytes + bytes <= budget.heapBytes() || bytes > MAX_MAPPED_VOLUME) {
      entries.add(new Entry(v.grid(), v.voxels(), -1));
      heapBytes += bytes;
    } else {
      entries.add(new Entry(v.grid(), null, spillOut(v.voxels())));
      spilledBytes += bytes;
    }
  }

  public int size() {
    return entries.size();
  }

  public Grid grid(int i) {
    return entries.get(i).grid();
  }

  /** Volume {@code i}; a spilled one is copied out of its mapping. */
  public Volume volume(int i) {
    Entry e = entries.get(i);
    if (e.heap() != null) {
      return new Volume(e.grid(), e.heap());
    }
    float[] out = new float[e.grid().size()];
    Mapped m = mapping(i);
    m.view().get(m.start(), out);
    return new Volume(e.grid(), out);
  }

  /** Slice {@code index} along {@code axis}, as {@link Slices#slice}; an axial slice of a spilled volume reads only its pages. */
  public float[] slice(int i, int axis, int index) {
    Entry e = entries.get(i);
    if (e.heap() != null || axis != 2) {
      return Slices.slice(volume(i), axis, index);
    }
    Grid g = e.grid();
    if (index < 0 || index >= g.nz()) {
      throw new IndexOutOfBoundsException("slice " + index + " of " + g.nz() + " along axis 2");
    }
    float[] out = new float[g.nx() * g.ny()];
    Mapped m = mapping(i);
    m.view().get(m.start() + index * out.length, out); // x fastest, then y: contiguous
    return out;
  }

  private Mapped mapping(int i) {
    if (mappedUpTo < entries.size()) {
      mapSpilled();
    }
    return mapped.get(i);
  }

  /** Maps the spilled volumes not yet mapped, consecutive ones sharing a view of up to {@link #CHUNK} bytes. */
  private synchronized void mapSpilled() {
    int i = mappedUpTo;
    try {
      while (i < entries.size()) {
        long from = entries.get(i).spillOffset();
        if (from < 0) {
          i++;
          continue;
        }
        long to = from + entries.get(i).bytes(); // the first volume always fits: add() keeps it under 2 GiB
        int end = i + 1;
        while (end < entries.size() && entries.get(end).spillOffset() == to
            && to + entries.get(end).bytes() - from <= CHUNK) {
          to += entries.get(end).bytes();
          end++;
        }
        FloatBuffer view = spill.map(FileChannel.MapMode.READ_ONLY, from, to - from).order(ByteOrder.LITTLE_ENDIAN)
            .asFloatBuffer();
        for (int k = i; k < end; k++) {
          mapped.set(k, new Mapped(view, (int) ((entries.get(k).spillOffset() - from) / 4)));
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
