package org.medssl.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.medssl.augment.SliceAugmenter;
import org.medssl.data.Batch;
import org.medssl.data.PrefetchLoader;
import org.medssl.data.Preprocessing;
import org.medssl.data.Seeds;
import org.medssl.data.SliceSampler;
import org.medssl.data.Subject;
import org.medssl.data.phantom.PhantomConfig;
import org.medssl.data.phantom.PhantomGenerator;
import org.medssl.data.phantom.PhantomSubject;

/**
 * The demo's real input pipeline on in-memory phantoms: preprocessed subjects, the augmenting
 * {@link SliceSampler} and a {@link PrefetchLoader}, wired as {@code seg.FineTuner} wires them.
 */
final class PhantomSlices {
  private static final int SUBJECTS = 4;
  private static final long SEED = 7;
  private final SliceSampler sampler;
  private final int batch;

  PhantomSlices(NetworkConfig config) {
    Preprocessing pre = Preprocessing.mrDefault();
    PhantomGenerator generator = new PhantomGenerator(PhantomConfig.defaults());
    List<Subject> subjects = new ArrayList<>();
    for (int i = 0; i < SUBJECTS; i++) {
      PhantomSubject p = generator.generate(SEED + i);
      subjects.add(new Subject("phantom" + i, pre.apply(p.image()), p.labels()));
    }
    int size = config.size();
    this.sampler = new SliceSampler(subjects, pre.sliceAxis(), size, size,
        new SliceAugmenter(SliceAugmenter.Ranges.defaults(), size, size));
    this.batch = config.batch();
  }

  /** One batch, the same for the same index. */
  Batch batch(int index) {
    return sampler.sample(batch, new SplittableRandom(Seeds.derive(SEED, index)));
  }

  /** A background loader of {@code items} batches, as fine-tuning uses (4 batches ahead). */
  PrefetchLoader<Batch> loader(int items) {
    return new PrefetchLoader<>(this::batch, items, 4);
  }
}
