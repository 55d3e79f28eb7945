package org.medssl.seg;

import java.util.function.IntConsumer;
import org.medssl.image.Grid;
import org.medssl.MedsslException;
import org.medssl.image.LabelMap;
import org.medssl.image.MultiChannelVolume;
import org.medssl.image.Volume;
import org.medssl.nn.SegNet;

/**
 * Segments a whole preprocessed volume with a network, whatever the network's input is: 2D slices
 * ({@link SliceInferer}) or 3D windows ({@link SlidingWindowInferer}). Validation, evaluation and
 * {@code predict} go through this, so they agree on how a model sees a scan.
 */
public interface Inferer {
  /**
   * The arg-max label map on the scan's own grid, from all its input channels. {@code progress} is
   * called with the units of {@link #work} done so far.
   */
  LabelMap predict(SegNet net, MultiChannelVolume image, IntConsumer progress);

  default LabelMap predict(SegNet net, MultiChannelVolume image) {
    return predict(net, image, done -> { });
  }

  /** A single-channel scan. */
  default LabelMap predict(SegNet net, Volume image) {
    return predict(net, MultiChannelVolume.of(image));
  }

  /** How much work predicting a volume on {@code grid} is, for progress bars. */
  Work work(Grid grid);

  /** A count of units of work ("slices", "windows"). */
  record Work(int total, String unit) {}

  /** The network must take as many input channels as the scan has. */
  static void requireChannels(SegNet net, MultiChannelVolume image) {
    if (net.config().inChannels() != image.count()) {
      throw new MedsslException("the model takes " + net.config().inChannels() + " input channel(s), the scan has "
          + image.count());
    }
  }
}
