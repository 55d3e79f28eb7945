package org.medssl.seg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medssl.data.Subject;
import org.medssl.nn.SegNet;
import org.medssl.tensor.TensorData;
import org.medssl.train.StepEvent;
import org.medssl.train.Stateful;

/**
 * Validation, model selection and early stopping: every {@code validateEvery} steps and after the
 * last, the mean foreground Dice on the validation subjects; the weights of the best so far are
 * kept, and the run stops after {@code patience} validations without improvement (not counting
 * those of a frozen-encoder phase, whose best can still be kept). Without validation subjects
 * every validation counts as an improvement, so the last weights are kept.
 */
final class ModelSelection implements FineTuneListener, Stateful {
  private final SegNet net;
  private final Inferer inferer;
  private final List<Subject> validation;
  private final int validateEvery;
  private final int patience;
  private final int frozenSteps;
  private final FineTuneListener listener;
  private final List<FineTuneResult.CurvePoint> curve = new ArrayList<>();
  private Map<String, TensorData> best;
  private double bestDice = Double.NEGATIVE_INFINITY;
  private int bestStep;
  private int sinceBest;
  private double lossSum;
  private int lossCount;
  private boolean stop;

  ModelSelection(SegNet net, Inferer inferer, List<Subject> validation, FineTuneConfig config,
      FineTuneListener listener) {
    this.net = net;
    this.inferer = inferer;
    this.validation = List.copyOf(validation);
    this.validateEvery = config.validateEvery();
    this.patience = config.patience();
    this.frozenSteps = config.frozenEncoderSteps();
    this.listener = listener;
  }

  @Override
  public void onStep(StepEvent e) {
    lossSum += e.loss();
    lossCount++;
    if (frozenSteps > 0 && e.step() == frozenSteps + 1) {
      sinceBest = 0; // patience starts with the full phase
    }
    if (e.step() % validateEvery != 0 && !e.lastStep()) {
      return;
    }
    double dice = validation.isEmpty() ? Double.NaN : FineTuner.meanDice(net, inferer, validation);
    boolean improved = validation.isEmpty() || dice > bestDice;
    curve.add(new FineTuneResult.CurvePoint(e.step(), lossSum / lossCount, dice));
    lossSum = 0;
    lossCount = 0;
    listener.onValidation(e.step(), dice, improved);
    if (improved) {
      bestDice = dice;
      bestStep = e.step();
      best = net.weights().snapshot();
      sinceBest = 0;
    } else if (e.step() > frozenSteps && ++sinceBest >= patience) {
      stop = true;
    }
  }

  @Override
  public boolean stopRequested() {
    return stop;
  }

  /** Puts the best weights back into the network and says what the run did. */
  FineTuneResult finish(int stepsRun, double seconds, boolean stoppedEarly) {
    if (best != null) {
      net.weights().load(best);
    }
    return new FineTuneResult(stepsRun, bestStep, bestDice, curve, seconds, stoppedEarly);
  }

  @Override
  public String stateKey() {
    return "modelSelection";
  }

  @Override
  public void saveState(ObjectNode json, Map<String, TensorData> tensors) {
    var points = json.putArray("curve");
    for (FineTuneResult.CurvePoint p : curve) {
      points.addObject().put("step", p.step()).put("trainLoss", p.trainLoss()).put("validationDice",
          p.validationDice());
    }
    json.put("bestDice", bestDice);
    json.put("bestStep", bestStep);
    json.put("sinceBest", sinceBest);
    json.put("lossSum", lossSum);
    json.put("lossCount", lossCount);
    if (best != null) {
      tensors.putAll(best);
    }
  }

  @Override
  public void restoreState(JsonNode json, Map<String, TensorData> tensors) {
    curve.clear();
    json.path("curve").forEach(p -> curve.add(new FineTuneResult.CurvePoint(p.path("step").asInt(),
        p.path("trainLoss").asDouble(), p.path("validationDice").asDouble(Double.NaN))));
    bestDice = json.path("bestDice").asDouble(Double.NEGATIVE_INFINITY);
    bestStep = json.path("bestStep").asInt();
    sinceBest = json.path("sinceBest").asInt();
    lossSum = json.path("lossSum").asDouble();
    lossCount = json.path("lossCount").asInt();
    best = tensors.isEmpty() ? null : new LinkedHashMap<>(tensors);
  }
}
