package org.medssl.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.medssl.MedsslException;
import org.medssl.nn.Dims;
import org.medssl.nn.NormKind;
import org.medssl.nn.SegNetConfig;
import org.medssl.seg.SegLoss;
import org.medssl.tensor.Optimizer;
import org.medssl.tensor.Tensor;

/**
 * A network and the training step to time: U-Net architecture (instance norm, 4 classes as in the
 * phantoms), batch of {@code batch x 1 x size^dims}, loss and optimiser. {@code bench/peer_pytorch.py}
 * builds the same configurations under the same names; keep the two in step.
 */
public record NetworkConfig(String name, Dims dims, int[] channels, int batch, int size, SegLoss loss,
    boolean decoupledWeightDecay, double learningRate, double weightDecay) {
  public static final int CLASSES = 4;

  public NetworkConfig {
    channels = channels.clone();
  }

  /** The reference configurations of issue 7 and the network the demo fine-tunes. */
  public static List<NetworkConfig> references() {
    return List.of(
        new NetworkConfig("unet2d", Dims.TWO, new int[] {16, 32, 64, 128, 256}, 8, 128, SegLoss.DICE, false, 1e-3, 0),
        new NetworkConfig("unet3d", Dims.THREE, new int[] {8, 16, 32, 64}, 2, 64, SegLoss.DICE, false, 1e-3, 0),
        // studies/demo.yaml: U-Net 8-16-32-64 on 96x96 phantom slices, Dice + CE, AdamW lr 0.005.
        new NetworkConfig("demo2d", Dims.TWO, new int[] {8, 16, 32, 64}, 8, 96, SegLoss.DICE_CE, true, 5e-3, 1e-5));
  }

  /**
   * The segmentation configurations named in a comma-separated list, or all references for "all".
   * {@code pgl3d} (PGL's pretraining step, {@link PretextBench}) is left to {@link #selectsPgl3d}.
   */
  public static List<NetworkConfig> parse(String names) {
    if ("all".equalsIgnoreCase(names.trim())) {
      return references();
    }
    return split(names).filter(n -> !n.equals(PretextBench.NAME)).map(NetworkConfig::named).toList();
  }

  /** Whether the list (or "all") asks for PGL's 3D pretraining step. */
  public static boolean selectsPgl3d(String names) {
    return "all".equalsIgnoreCase(names.trim()) || split(names).anyMatch(PretextBench.NAME::equals);
  }

  private static Stream<String> split(String names) {
    return Arrays.stream(names.split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty());
  }

  public static NetworkConfig named(String name) {
    String wanted = name.toLowerCase(Locale.ROOT);
    return references().stream().filter(c -> c.name().equals(wanted)).findFirst().orElseThrow(() ->
        new MedsslException("--configs: unknown configuration '" + name + "' (known: unet2d, unet3d, demo2d, pgl3d, all)"));
  }

  /** A smaller copy for smoke tests: same structure, given stage channels, batch and size. */
  public NetworkConfig scaled(int[] newChannels, int newBatch, int newSize) {
    return new NetworkConfig(name, dims, newChannels, newBatch, newSize, loss, decoupledWeightDecay, learningRate,
        weightDecay);
  }

  @Override
  public int[] channels() {
    return channels.clone();
  }

  public SegNetConfig unet() {
    return new SegNetConfig(dims, 1, CLASSES, channels, NormKind.INSTANCE);
  }

  public Optimizer optimizer(List<Tensor> params) {
    return decoupledWeightDecay ? Optimizer.adamW(params, learningRate, weightDecay)
        : Optimizer.adam(params, learningRate, weightDecay);
  }

  /** Input shape {@code (batch, 1, size, size[, size])}. */
  public long[] imageShape() {
    return dims == Dims.TWO ? new long[] {batch, 1, size, size} : new long[] {batch, 1, size, size, size};
  }

  /** Label shape: the image shape without the channel dimension. */
  public long[] labelShape() {
    return dims == Dims.TWO ? new long[] {batch, size, size} : new long[] {batch, size, size, size};
  }

  public int voxelsPerBatch() {
    int n = batch;
    for (int i = 0; i < dims.count(); i++) {
      n *= size;
    }
    return n;
  }

  /** "8x1x128x128" */
  public String batchShape() {
    StringBuilder b = new StringBuilder().append(batch).append("x1");
    for (int i = 0; i < dims.count(); i++) {
      b.append('x').append(size);
    }
    return b.toString();
  }
}
