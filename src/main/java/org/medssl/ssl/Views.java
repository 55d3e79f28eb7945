package org.medssl.ssl;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.medssl.augment.ViewGeometry;
import org.medssl.augment.Slice2d;
import org.medssl.augment.ViewRecipe;
import org.medssl.data.PretrainImages;

/** Batches of two views per slice, the common input of the contrastive and momentum methods. */
final class Views {
  private Views() {}

  /** Two views of each of n random slices, drawn with one recipe per view. */
  static PretextBatch twoViews(PretrainImages slices, ViewRecipe first, ViewRecipe second, int n, int[] size,
      RandomGenerator rng) {
    return pairs(n, size[0], size[1], rng, first, second, () -> {
      Slice2d s = slices.random(rng);
      return new Slice2d[] {s, s};
    });
  }

  /** One view of each of two slices from the same partition of different volumes. */
  static PretextBatch partitionPairs(PretrainImages slices, ViewRecipe recipe, int partitions, int n, int[] size,
      RandomGenerator rng) {
    return pairs(n, size[0], size[1], rng, recipe, recipe, () -> slices.samePartitionPair(partitions, rng));
  }

  private static PretextBatch pairs(int n, int h, int w, RandomGenerator rng, ViewRecipe first, ViewRecipe second,
      java.util.function.Supplier<Slice2d[]> source) {
    float[] a = new float[n * h * w];
    float[] b = new float[n * h * w];
    List<ViewGeometry> geometries = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Slice2d[] pair = source.get();
      ViewRecipe.View v1 = first.sample(pair[0], h, w, rng);
      ViewRecipe.View v2 = second.sample(pair[1], h, w, rng);
      System.arraycopy(v1.data().image(), 0, a, i * h * w, h * w);
      System.arraycopy(v2.data().image(), 0, b, i * h * w, h * w);
      geometries.add(v1.geometry());
      geometries.add(v2.geometry());
    }
    return new PretextBatch(List.of(a, b), geometries, n, h, w);
  }
}
