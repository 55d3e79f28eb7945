package org.medssl.ssl;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.medssl.tensor.NoGrad;
import org.medssl.tensor.Optimizer;
import org.medssl.tensor.StepScope;
import org.medssl.tensor.Tensor;
import org.medssl.tensor.TensorData;

/**
 * LARS (You et al. 2017) as used by BYOL: SGD with momentum where each weight tensor's update is
 * scaled by the trust ratio {@code eta ||w|| / ||g + wd w||}. Biases and normalisation parameters
 * (one-dimensional tensors) get neither weight decay nor the trust ratio, as in BYOL and solo-learn.
 *
 * <pre>
 *   u = g + wd * w                   (matrices and kernels only)
 *   u = u * eta * ||w|| / ||u||      (when both norms are positive)
 *   v = momentum * v + u
 *   w = w - lr * v
 * </pre>
 */
public final class Lars implements Optimizer {
  private final List<Tensor> params;

  @Override
  public List<Tensor> parameters() {
    return List.copyOf(params);
  }
  private final Tensor[] velocity;
  private final double momentum;
  private final double weightDecay;
  private final double eta;
  private double lr;

  public Lars(List<Tensor> params, double lr, double momentum, double weightDecay, double eta) {
    this.params = List.copyOf(params);
    this.velocity = new Tensor[params.size()];
    this.lr = lr;
    this.momentum = momentum;
    this.weightDecay = weightDecay;
    this.eta = eta;
  }

  @Override
  public void setLearningRate(double value) {
    lr = value;
  }

  @Override
  public void zeroGrad() {
    try (StepScope s = StepScope.open(); NoGrad g = NoGrad.open()) {
      for (Tensor p : params) {
        Tensor grad = p.grad();
        if (grad != null) {
          grad.mulInPlace(0);
        }
      }
    }
  }

  @Override
  public void step() {
    try (StepScope s = StepScope.open(); NoGrad g = NoGrad.open()) {
      for (int i = 0; i < params.size(); i++) {
        Tensor p = params.get(i);
        Tensor grad = p.grad();
        if (grad != null) {
          update(i, p, grad);
        }
      }
    }
  }

  private void update(int i, Tensor p, Tensor grad) {
    boolean adapt = p.dim() > 1;
    Tensor u = adapt && weightDecay > 0 ? grad.add(p.mul(weightDecay)) : grad.mul(1.0);
    if (adapt) {
      double wn = p.l2Norm();
      double un = u.l2Norm();
      if (wn > 0 && un > 0) {
        u.mulInPlace(eta * wn / un);
      }
    }
    if (velocity[i] == null) {
      velocity[i] = Tensor.zeros(p.shape()).retain();
    }
    velocity[i].mulInPlace(momentum);
    velocity[i].addInPlace(u, 1);
    p.addInPlace(velocity[i], -lr);
  }

  /** Momentum buffers in parameter order; a parameter that never had a gradient has none. */
  @Override
  public byte[] saveState() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(velocity.length);
      for (Tensor v : velocity) {
        out.writeBoolean(v != null);
        if (v != null) {
          TensorData d = v.toData();
          out.writeInt(d.shape().length);
          for (long n : d.shape()) {
            out.writeLong(n);
          }
          for (float x : d.values()) {
            out.writeFloat(x);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @Override
  public void loadState(byte[] state) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
      if (in.readInt() != velocity.length) {
        throw new IllegalArgumentException("LARS state for another parameter count");
      }
      for (int i = 0; i < velocity.length; i++) {
        if (velocity[i] != null) {
          velocity[i].close();
          velocity[i] = null;
        }
        if (in.readBoolean()) {
          long[] shape = new long[in.readInt()];
          long n = 1;
          for (int d = 0; d < shape.length; d++) {
            shape[d] = in.readLong();
            n *= shape[d];
          }
          float[] values = new float[(int) n];
          for (int k = 0; k < values.length; k++) {
            values[k] = in.readFloat();
          }
          velocity[i] = Tensor.of(new TensorData(shape, values)).retain();
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated LARS state", e);
    }
  }

  @Override
  public void close() {
    for (Tensor v : velocity) {
      if (v != null) {
        v.close();
      }
    }
  }
}
