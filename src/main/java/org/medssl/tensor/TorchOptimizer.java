package org.medssl.tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.AdamWOptions;
import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.OutputArchive;
import org.bytedeco.pytorch.OptimizerParamGroup;
import org.bytedeco.pytorch.OptimizerParamGroupVector;
import org.bytedeco.pytorch.TensorVector;

/** Adam and AdamW from libtorch. */
final class TorchOptimizer implements Optimizer {
  private final org.bytedeco.pytorch.Optimizer opt;
  /** The learning-rate scale of each of {@code opt}'s parameter groups, in order. */
  private final double[] scales;
  private final List<Tensor> params;

  private TorchOptimizer(org.bytedeco.pytorch.Optimizer opt, List<Tensor> params) {
    this(opt, new double[] {1}, params);
  }

  private TorchOptimizer(org.bytedeco.pytorch.Optimizer opt, double[] scales, List<Tensor> params) {
    this.opt = opt;
    this.scales = scales;
    this.params = List.copyOf(params);
  }

  @Override
  public List<Tensor> parameters() {
    return params;
  }

  static Optimizer adam(List<Tensor> params, double lr, double weightDecay) {
    AdamOptions o = new AdamOptions(lr);
    o.weight_decay().put(weightDecay);
    return new TorchOptimizer(new Adam(vector(params), o), params);
  }

  /** AdamW: decoupled weight decay (Loshchilov and Hutter). */
  static Optimizer adamW(List<Tensor> params, double lr, double weightDecay) {
    AdamWOptions o = new AdamWOptions(lr);
    o.weight_decay().put(weightDecay);
    return new TorchOptimizer(new AdamW(vector(params), o), params);
  }

  /**
   * AdamW with one libtorch parameter group per non-empty group: the first is passed to the
   * constructor, the others are added with the same options (cloned by libtorch), and every
   * group's rate is then set from its scale.
   */
  static Optimizer adamWGroups(List<Optimizer.Group> groups, double lr, double weightDecay) {
    List<Optimizer.Group> used = groups.stream().filter(g -> !g.params().isEmpty()).toList();
    if (used.isEmpty()) {
      throw new IllegalArgumentException("an optimiser needs at least one parameter");
    }
    AdamWOptions o = new AdamWOptions(lr);
    o.weight_decay().put(weightDecay);
    AdamW adamW = new AdamW(vector(used.get(0).params()), o);
    for (Optimizer.Group g : used.subList(1, used.size())) {
      adamW.add_param_group(new OptimizerParamGroup(vector(g.params())));
    }
    TorchOptimizer result = new TorchOptimizer(adamW, used.stream().mapToDouble(Optimizer.Group::lrScale).toArray(),
        used.stream().flatMap(g -> g.params().stream()).toList());
    result.setLearningRate(lr);
    return result;
  }

  private static TensorVector vector(List<Tensor> params) {
    Engine.ensureLoaded();
    if (params.isEmpty()) {
      throw new IllegalArgumentException("an optimiser needs at least one parameter");
    }
    return new TensorVector(params.stream().map(Tensor::raw).toArray(org.bytedeco.pytorch.Tensor[]::new));
  }

  @Override
  public void setLearningRate(double lr) {
    OptimizerParamGroupVector groups = opt.param_groups();
    if (groups.size() != scales.length) {
      throw new IllegalStateException(groups.size() + " parameter groups but " + scales.length + " scales");
    }
    for (int i = 0; i < scales.length; i++) {
      groups.get(i).options().set_lr(lr * scales[i]);
    }
  }

  @Override
  public void zeroGrad() {
    opt.zero_grad(true);
  }

  @Override
  public void step() {
    opt.step();
  }

  /** libtorch serialises optimiser state only through its archive format; a temp file carries the bytes. */
  @Override
  public byte[] saveState() {
    Path tmp = null;
    try (OutputArchive archive = new OutputArchive()) {
      tmp = Files.createTempFile("medssl-optimizer", ".pt");
      opt.save(archive);
      archive.save_to(tmp.toString());
      return Files.readAllBytes(tmp);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  @Override
  public void loadState(byte[] state) {
    try (InputArchive archive = new InputArchive(); BytePointer bytes = new BytePointer(state)) {
      archive.load_from(bytes, state.length);
      opt.load(archive);
    }
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // a stray temp file is harmless
      }
    }
  }

  @Override
  public void close() {
    opt.close();
  }
}
