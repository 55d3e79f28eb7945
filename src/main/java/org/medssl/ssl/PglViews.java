package org.medssl.ssl;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.medssl.augment.DenseImage;
import org.medssl.augment.PglViewRecipe;
import org.medssl.augment.ViewGeometry;
import org.medssl.data.PretrainImages;

/**
 * Batches of two PGL views per image: of whole volumes when the input has three axes (3D
 * pretraining), of slices when it has two. PGL and 3D BYOL share them, so the two are compared
 * on the same inputs, as in the paper.
 */
final class PglViews {
  private PglViews() {}

  /** Two views of each of n random images, at the input {@code size} (tensor order). */
  static PretextBatch pairs(PretrainImages images, PglViewRecipe recipe, int n, int[] size, RandomGenerator rng) {
    int voxels = PretextBatch.volume(size);
    float[] first = new float[n * voxels];
    float[] second = new float[n * voxels];
    List<ViewGeometry> geometries = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      DenseImage source = size.length == 3 ? DenseImage.of(images.randomVolume(rng)) : DenseImage.of(images.random(rng));
      PglViewRecipe.View[] views = recipe.samplePair(source, size, rng);
      System.arraycopy(views[0].image().values(), 0, first, i * voxels, voxels);
      System.arraycopy(views[1].image().values(), 0, second, i * voxels, voxels);
      geometries.add(views[0].geometry());
      geometries.add(views[1].geometry());
    }
    return new PretextBatch(List.of(first, second), geometries, n, size);
  }

  /** The geometries of view {@code v} (0 or 1) of every sample, from the sample-major list of a batch. */
  static List<ViewGeometry> of(PretextBatch batch, int v) {
    List<ViewGeometry> all = batch.geometries();
    List<ViewGeometry> out = new ArrayList<>();
    for (int i = v; i < all.size(); i += 2) {
      out.add(all.get(i));
    }
    return out;
  }
}
