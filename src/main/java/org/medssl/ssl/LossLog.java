package org.medssl.ssl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.medssl.tensor.TensorData;
import org.medssl.train.StepEvent;
import org.medssl.train.Stateful;
import org.medssl.train.TrainingListener;

/**
 * Pretraining's loss curve: the mean loss and embedding spread over every {@value #EVERY} steps
 * of a stage and over its last steps, each point checked for representation collapse (a warning
 * goes to the log and into the result).
 */
final class LossLog implements TrainingListener, Stateful {
  static final int EVERY = 25;

  private final Consumer<String> warn;
  private final List<PretrainResult.LossPoint> curve = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private double lossSum;
  private double stdSum;
  private int count;

  LossLog(Consumer<String> warn) {
    this.warn = warn;
  }

  List<PretrainResult.LossPoint> curve() {
    return List.copyOf(curve);
  }

  List<String> warnings() {
    return List.copyOf(warnings);
  }

  @Override
  public void onStep(StepEvent e) {
    lossSum += e.loss();
    stdSum += e.embeddingStd();
    count++;
    if (count == EVERY || e.phaseEnd()) {
      double std = stdSum / count;
      curve.add(new PretrainResult.LossPoint(e.phase(), e.step(), lossSum / count, std));
      lossSum = 0;
      stdSum = 0;
      count = 0;
      if (Collapse.collapsing(std, e.embeddingDim())) {
        String msg = String.format("representation collapse in stage %s at step %d: embedding std %.4f, healthy is"
            + " about %.4f", e.phase(), e.step(), std, Collapse.healthy(e.embeddingDim()));
        warnings.add(msg);
        warn.accept(msg);
      }
    }
  }

  @Override
  public String stateKey() {
    return "lossLog";
  }

  @Override
  public void saveState(ObjectNode json, Map<String, TensorData> tensors) {
    putCurve(json.putArray("curve"), curve);
    warnings.forEach(json.putArray("warnings")::add);
    json.put("lossSum", lossSum);
    json.put("stdSum", stdSum);
    json.put("count", count);
  }

  @Override
  public void restoreState(JsonNode json, Map<String, TensorData> tensors) {
    curve.clear();
    json.path("curve").forEach(p -> curve.add(new PretrainResult.LossPoint(p.path("stage").asText(),
        p.path("step").asInt(), p.path("loss").asDouble(), p.path("embeddingStd").asDouble(Double.NaN))));
    warnings.clear();
    json.path("warnings").forEach(w -> warnings.add(w.asText()));
    lossSum = json.path("lossSum").asDouble();
    stdSum = json.path("stdSum").asDouble(Double.NaN);
    count = json.path("count").asInt();
  }

  static void putCurve(com.fasterxml.jackson.databind.node.ArrayNode out, List<PretrainResult.LossPoint> curve) {
    for (PretrainResult.LossPoint pt : curve) {
      ObjectNode o = out.addObject();
      o.put("stage", pt.stage());
      o.put("step", pt.step());
      o.put("loss", pt.loss());
      if (Double.isFinite(pt.embeddingStd())) {
        o.put("embeddingStd", pt.embeddingStd());
      }
    }
  }
}
