package org.medssl.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.medssl.tensor.TensorData;

/**
 * A listener whose state a checkpoint must carry for a resumed run to end as the uninterrupted one
 * would: a loss curve and its running sums, the best validation weights so far.
 */
public interface Stateful {
  /** Names the state in the checkpoint; unique among a run's listeners. */
  String stateKey();

  /** Writes the state into {@code json}; tensors go into {@code tensors} (names are the listener's own). */
  void saveState(ObjectNode json, Map<String, TensorData> tensors);

  /** Restores what {@link #saveState} wrote. */
  void restoreState(JsonNode json, Map<String, TensorData> tensors);
}
