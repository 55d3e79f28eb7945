package org.medssl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.MedsslException;
import org.medssl.augment.Slice2d;
import org.medssl.image.Grid;
import org.medssl.image.Slices;
import org.medssl.image.Volume;

class VolumePoolTest {
  @TempDir
  Path dir;

  private static Volume volume(int nx, int ny, int nz, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] v = new float[nx * ny * nz];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) rng.nextGaussian();
    }
    return new Volume(Grid.of(nx, ny, nz, 1, 1, 2), v);
  }

  @Test
  void spilledVolumesReadBackExactlyWholeAndBySlice() throws IOException {
    List<Volume> volumes = List.of(volume(7, 5, 4, 1), volume(6, 9, 3, 2), volume(8, 8, 5, 3));
    long firstOnly = 4L * 7 * 5 * 4;
    try (VolumePool pool = new VolumePool(new VolumePool.Budget(firstOnly, dir))) {
      volumes.forEach(pool::add);
      assertTrue(pool.spilled());
      assertTrue(pool.describe().startsWith("3 volumes, 0.0 GiB in the heap, 0.0 GiB memory-mapped"), pool.describe());
      for (int i = 0; i < volumes.size(); i++) {
        Volume v = volumes.get(i);
        assertEquals(v.grid(), pool.grid(i));
        assertArrayEquals(v.voxels(), pool.volume(i).voxels());
        for (int axis = 0; axis < 3; axis++) {
          for (int k = 0; k < v.grid().dim(axis); k++) {
            assertArrayEquals(Slices.slice(v, axis, k), pool.slice(i, axis, k), "volume " + i + " axis " + axis);
          }
        }
      }
      try (Stream<Path> files = Files.list(dir)) {
        assertFalse(files.findAny().isPresent(), "the spill file is unlinked while in use: nothing to leave behind");
      }
    }
  }

  @Test
  void aPretrainingPoolSamplesTheSameFromTheHeapAsFromTheSpill() {
    List<Volume> volumes = List.of(volume(16, 12, 6, 4), volume(16, 12, 9, 5));
    PretrainImages heap = new PretrainImages(volumes, 2);
    try (VolumePool pool = new VolumePool(new VolumePool.Budget(0, dir))) {
      volumes.forEach(pool::add);
      PretrainImages spilled = new PretrainImages(pool, 2);
      assertEquals(heap.sliceCount(), spilled.sliceCount());
      SplittableRandom a = new SplittableRandom(9);
      SplittableRandom b = new SplittableRandom(9);
      for (int i = 0; i < 20; i++) {
        Slice2d x = heap.random(a);
        Slice2d y = spilled.random(b);
        assertArrayEquals(x.image(), y.image());
        assertArrayEquals(heap.randomVolume(a).voxels(), spilled.randomVolume(b).voxels());
      }
    }
  }

  @Test
  void aNegativeBudgetIsAUserError() {
    MedsslException e = assertThrows(MedsslException.class, () -> VolumePool.Budget.of(-1.0, dir));
    assertTrue(e.getMessage().startsWith("--pool-memory: must be at least 0 GiB"), e.getMessage());
  }
}
