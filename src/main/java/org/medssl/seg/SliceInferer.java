package org.medssl.seg;

import java.util.function.IntConsumer;
import org.medssl.image.CropPad;
import org.medssl.image.Grid;
import org.medssl.image.LabelMap;
import org.medssl.image.MultiChannelVolume;
import org.medssl.image.Slices;
import org.medssl.image.Volume;
import org.medssl.nn.SegNet;
import org.medssl.tensor.NoGrad;
import org.medssl.tensor.Precision;
import org.medssl.tensor.StepScope;
import org.medssl.tensor.Tensor;
import org.medssl.train.MixedPrecision;

/**
 * Runs a 2D network over every slice of a volume along one axis and assembles the arg-max label
 * map on the volume's own grid. Slices are zero-padded (centred) to a multiple of the network's
 * downsampling factor and cropped back, so any in-plane size works.
 */
public record SliceInferer(int axis, int batch, Precision precision) implements Inferer {
  @Override
  public Work work(Grid grid) {
    return new Work(Slices.count(grid, axis), "slices");
  }

  /** Predicts, calling {@code progress} with the number of slices done after each batch. */
  @Override
  public LabelMap predict(SegNet net, MultiChannelVolume image, IntConsumer progress) {
    Inferer.requireChannels(net, image);
    Grid g = image.grid();
    int[] hw = Slices.sliceShape(g, axis);
    int h = CropPad.roundUp(hw[0], net.downsamplingFactor());
    int w = CropPad.roundUp(hw[1], net.downsamplingFactor());
    int n = Slices.count(g, axis);
    int[] labels = new int[g.size()];
    net.train(false);
    for (int start = 0; start < n; start += batch) {
      int count = Math.min(batch, n - start);
      long[] argmax = predictBatch(net, image, start, count, hw, h, w);
      for (int b = 0; b < count; b++) {
        int[] slice = new int[h * w];
        for (int i = 0; i < slice.length; i++) {
          slice[i] = (int) argmax[b * h * w + i];
        }
        Slices.put(g, labels, axis, start + b, CropPad.restore(slice, hw[0], hw[1], h, w));
      }
      progress.accept(start + count);
    }
    return new LabelMap(g, labels);
  }

  private long[] predictBatch(SegNet net, MultiChannelVolume image, int start, int count, int[] hw, int h, int w) {
    int channels = image.count();
    float[] input = new float[count * channels * h * w];
    for (int b = 0; b < count; b++) {
      for (int c = 0; c < channels; c++) {
        float[] slice = Slices.slice(image.channel(c), axis, start + b);
        float fill = min(slice);
        System.arraycopy(CropPad.apply(slice, hw[0], hw[1], h, w, fill), 0, input, (b * channels + c) * h * w, h * w);
      }
    }
    try (StepScope s = StepScope.open(); NoGrad g = NoGrad.open()) {
      Tensor logits = new MixedPrecision(precision).forward(() -> net.forward(Tensor.of(input, count, channels, h, w)));
      return logits.toFloat().argmax(1).toLongs();
    }
  }

  private static float min(float[] v) {
    float m = Float.POSITIVE_INFINITY;
    for (float x : v) {
      m = Math.min(m, x);
    }
    return m;
  }
}
