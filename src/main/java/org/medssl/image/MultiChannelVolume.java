package org.medssl.image;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The input channels of one scan (e.g. T2 and ADC of a prostate MR), each a {@link Volume} on the
 * same grid, in the dataset's channel order. A single-channel scan is a stack of one.
 */
public record MultiChannelVolume(List<Volume> channels) {

  public MultiChannelVolume {
    channels = List.copyOf(channels);
    if (channels.isEmpty()) {
      throw new IllegalArgumentException("a scan needs at least one channel");
    }
    Grid first = channels.get(0).grid();
    for (int k = 1; k < channels.size(); k++) {
      if (!channels.get(k).grid().sameGeometry(first)) {
        throw new IllegalArgumentException("channel " + k + " lies on " + channels.get(k).grid().shapeString()
            + ", channel 0 on " + first.shapeString() + "; the channels of a scan share one grid");
      }
    }
  }

  public static MultiChannelVolume of(Volume single) {
    return new MultiChannelVolume(List.of(single));
  }

  public Grid grid() {
    return channels.get(0).grid();
  }

  public int count() {
    return channels.size();
  }

  public Volume channel(int k) {
    return channels.get(k);
  }

  /** The same operation on every channel (each channel keeps its own statistics). */
  public MultiChannelVolume map(UnaryOperator<Volume> f) {
    return new MultiChannelVolume(channels.stream().map(f).toList());
  }
}
