package org.medssl.ssl;

import java.util.List;
import org.medssl.tensor.TransferReport;

/**
 * A method with an online network and a target that is its exponential moving average (BYOL,
 * PGL): after every optimiser step the target moves towards the online weights on the
 * {@link EmaSchedule}; after {@code --init} from a file that fills only one side, the other side
 * starts as its copy.
 */
public abstract class MomentumMethod extends BasePretextMethod {
  /** NaN: sized to the run from the method's paper value ({@link PretextMethods#budgetTau}). */
  public static final MethodOption<Double> TAU = MethodOption.number("tau", "--tau", Double.NaN,
      "byol, pgl: starting EMA decay (default: sized to --steps so at most 1 % of the target's step-0 weights remain,"
          + " 1 - 2 ln(100)/(steps - 1), within [0.9, the paper's 0.99 (byol) or 0.996 (pgl)]).")
      .validWhen(t -> t.isNaN() || (t >= 0 && t < 1), "in [0, 1)").alwaysFingerprinted();

  private MomentumPairs pairs;
  private EmaSchedule schedule;

  protected MomentumMethod(String name, List<String> transferredParts) {
    super(name, transferredParts);
  }

  /** The starting decay: the option, or the paper's value when none is given. */
  static double tau0(MethodOptions options, double paperTau) {
    double tau = options.get(TAU);
    return Double.isNaN(tau) ? paperTau : tau;
  }

  /**
   * Pairs online weights with their targets (each {@code {online prefix, target prefix}}) and
   * starts the target as a copy of the online network; called once the weights exist.
   */
  protected final void pairTargets(List<String[]> prefixPairs, double tau0) {
    pairs = new MomentumPairs(store, prefixPairs);
    pairs.copyOnlineToTarget();
    schedule = new EmaSchedule(tau0);
  }

  /** Whether a weight name is on the online side (the target side is the rest of the pairs). */
  protected abstract boolean isOnline(String weightName);

  @Override
  public final void afterStep(int step, int totalSteps) {
    pairs.update(schedule.tau(step, totalSteps));
  }

  /** Weights from another method fill one side only: the other starts from it. */
  @Override
  public final void afterInit(TransferReport report) {
    boolean online = report.loaded().stream().anyMatch(this::isOnline);
    boolean target = report.loaded().stream().anyMatch(n -> !isOnline(n));
    if (target && !online) {
      pairs.copyTargetToOnline();
    } else if (online && !target) {
      pairs.copyOnlineToTarget();
    }
  }
}
