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
import org.bytedeco.pytorch.OptimizerParamGroupVector;
import org.bytedeco.pytorch.TensorVector;

/** Adam and AdamW from libtorch. */
final class TorchOptimizer implements Optimizer {
  private final org.bytedeco.pytorch.Optimizer opt;

  private TorchOptimizer(org.bytedeco.pytorch.Optimizer opt) {
    this.opt = opt;
  }

  static Optimizer adam(List<Tensor> params, double lr, double weightDecay) {
    AdamOptions o = new AdamOptions(lr);
    o.weight_decay().put(weightDecay);
    return new TorchOptimizer(new Adam(vector(params), o));
  }

  /** AdamW: decoupled weight decay (Loshchilov and Hutter). */
  static Optimizer adamW(List<Tensor> params, double lr, double weightDecay) {
    AdamWOptions o = new AdamWOptions(lr);
    o.weight_decay().put(weightDecay);
    return new TorchOptimizer(new AdamW(vector(params), o));
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
    for (long i = 0; i < groups.size(); i++) {
      groups.get(i).options().set_lr(lr);
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
