package org.medssl.nn;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.medssl.MedsslException;
import org.medssl.io.model.ModelFile;
import org.medssl.io.pytorch.ExternalWeights;
import org.medssl.tensor.ParamStore;
import org.medssl.tensor.Tensor;
import org.medssl.tensor.TensorData;
import org.medssl.tensor.TransferReport;

/**
 * Initialising a network from a weight file: every weight whose name exists in the network is
 * loaded, the rest stay fresh. Shared by fine-tuning ({@code finetune --init}) and hierarchical
 * pretraining ({@code pretrain --init}). A {@code .medssl} file must fit exactly where names meet
 * (a shape mismatch is an error); a PyTorch state dict or safetensors file (our exported names,
 * or torchvision's ResNet names, see {@link PyTorchNames}) loads what fits and reports, by name,
 * what was loaded, what did not fit and what has no counterpart. A segmentation network whose
 * decoder is not the one the file's weights were trained with takes only the file's
 * {@code encoder.*}: both decoders name their weights {@code decoder.*}, and some of those (and the
 * head) even have the same shapes, so names cannot tell them apart.
 */
public final class WeightFiles {
  private WeightFiles() {}

  /**
   * Loads the file's weights into {@code store}; a shape mismatch or a file with no matching weight
   * is a user error naming the file.
   */
  public static TransferReport loadInto(ParamStore store, Path file) {
    return loadInto(store, file, note -> { });
  }

  /**
   * As {@link #loadInto(ParamStore, Path)}, telling {@code notes} which weights were adapted to
   * other input channel counts and, for PyTorch files, where each weight went.
   */
  public static TransferReport loadInto(ParamStore store, Path file, Consumer<String> notes) {
    return loadInto(store, file, notes, null);
  }

  /**
   * As {@link #loadInto(ParamStore, Path, Consumer)} for a segmentation network with
   * {@code decoder}. The file's decoder is the one its {@code architecture} names; pretrained files
   * name none and are U-Nets (denoising and contrastive train the U-Net decoder, BYOL and PGL keep
   * no decoder), and so are files without an {@code architecture} and PyTorch exports (the light
   * decoder is not exported). When the two differ, the network's weights outside
   * {@code encoder.*} start fresh and {@code notes} is told how many the file had.
   */
  public static TransferReport loadInto(ParamStore store, Path file, Consumer<String> notes, DecoderKind decoder) {
    ExternalWeights.Kind kind = ExternalWeights.kind(file);
    if (kind != ExternalWeights.Kind.MEDSSL) {
      return loadExternal(store, ExternalWeights.read(file, kind), file, notes, decoder);
    }
    ModelFile model = ModelFile.read(file);
    Map<String, Tensor> targets = store.named();
    DecoderKind fileDecoder = decoder == null ? null
        : DecoderKind.parse(model.metadata().path("architecture").path("decoder").asText(DecoderKind.UNET.label()));
    boolean encoderOnly = decoder != null && decoder != fileDecoder;
    Map<String, TensorData> weights = new LinkedHashMap<>();
    List<String> notTaken = new ArrayList<>();
    model.weights().forEach((name, source) -> {
      if (!targets.containsKey(name)) {
        weights.put(name, source); // reported unused by the store
      } else if (encoderOnly && !name.startsWith(Encoder.PREFIX)) {
        notTaken.add(name);
      } else {
        weights.put(name, adaptInputChannels(name, source, targets.get(name).shape(), notes));
      }
    });
    if (!notTaken.isEmpty()) {
      notes.accept(otherDecoder(file, notTaken.size(), fileDecoder, decoder));
    }
    TransferReport r;
    try {
      r = store.load(weights);
    } catch (IllegalArgumentException e) {
      throw new MedsslException(file + ": does not fit the network: " + e.getMessage());
    }
    if (r.loaded().isEmpty()) {
      throw new MedsslException(file + ": no tensor matches the network (different architecture?)");
    }
    notTaken.addAll(r.unused());
    return new TransferReport(r.loaded(), r.fresh(), notTaken);
  }

  private static String otherDecoder(Path file, int weights, DecoderKind fileDecoder, DecoderKind decoder) {
    return file + ": " + weights + " of its weights beyond encoder.* were trained with the " + fileDecoder.label()
        + " decoder, the network has the " + decoder.label() + " decoder: they start fresh";
  }

  /**
   * A PyTorch state dict or safetensors file: what fits is loaded, the rest reported by name;
   * exports carry the U-Net decoder, so under another {@code decoder} what maps outside
   * {@code encoder.*} is left fresh.
   */
  private static TransferReport loadExternal(ParamStore store, ExternalWeights ext, Path file,
      Consumer<String> notes, DecoderKind decoder) {
    boolean encoderOnly = decoder != null && decoder != DecoderKind.UNET;
    Map<String, Tensor> targets = store.named();
    Map<String, TensorData> mapped = new LinkedHashMap<>();
    List<String> notLoaded = new ArrayList<>();
    int notTaken = 0;
    for (Map.Entry<String, TensorData> e : ext.weights().entrySet()) {
      String name = e.getKey();
      String ours = PyTorchNames.internal(name).filter(targets::containsKey).orElse(null);
      if (ours != null && encoderOnly && !ours.startsWith(Encoder.PREFIX)) {
        notLoaded.add(name);
        notTaken++;
        continue;
      }
      if (ours == null) {
        notLoaded.add(name);
        notes.accept(name + ": no counterpart in the network, not loaded");
        continue;
      }
      long[] shape = targets.get(ours).shape();
      TensorData data = adaptInputChannels(ours, e.getValue(), shape, notes);
      if (!data.sameShape(shape)) {
        notLoaded.add(name);
        notes.accept(name + " -> " + ours + ": shape-mismatched (file " + e.getValue().shapeString() + ", network "
            + java.util.Arrays.toString(shape) + "), left fresh");
        continue;
      }
      notes.accept(name + " -> " + ours);
      mapped.put(ours, data);
    }
    ext.skipped().forEach(s -> notes.accept(s + ": not a floating-point weight, skipped"));
    if (notTaken > 0) {
      notes.accept(otherDecoder(file, notTaken, DecoderKind.UNET, decoder));
    }
    if (mapped.isEmpty()) {
      throw new MedsslException(file + ": no tensor of this " + ext.format() + " fits the network (its names are e.g. "
          + ext.weights().keySet().stream().limit(3).toList() + "; medssl reads its own exported names and"
          + " torchvision's ResNet names)");
    }
    TransferReport r = store.load(mapped);
    return new TransferReport(r.loaded(), r.fresh(), notLoaded);
  }

  /**
   * A weight whose input-channel count differs from the network's first convolution, adapted as
   * timm adapts ImageNet stems: pretrained on 1 channel for a network that reads C (every channel
   * of a multi-channel dataset, {@code finetune --channel all}), repeated over the C channels and
   * divided by C, so a scan whose channels were all equal gives the pretrained responses; pretrained
   * on 3 (RGB, ImageNet) for a network that reads 1, summed over the three. Any other weight is
   * returned as it is.
   */
  static TensorData adaptInputChannels(String name, TensorData source, long[] target, Consumer<String> notes) {
    long[] shape = source.shape();
    if (!sameExceptInputChannels(shape, target)) {
      return source;
    }
    if (shape[1] == 1 && target[1] > 1) {
      int channels = (int) target[1];
      notes.accept(name + ": pretrained on 1 input channel, repeated over " + channels + " and divided by "
          + channels);
      return repeatInputChannel(source, channels);
    }
    if (shape[1] == 3 && target[1] == 1) {
      notes.accept(name + ": pretrained on 3 input channels (RGB), summed into 1");
      return sumInputChannels(source);
    }
    return source;
  }

  private static boolean sameExceptInputChannels(long[] source, long[] target) {
    if (source.length < 3 || source.length != target.length || source[1] == target[1]) {
      return false;
    }
    for (int i = 0; i < source.length; i++) {
      if (i != 1 && source[i] != target[i]) {
        return false;
      }
    }
    return true;
  }

  private static TensorData repeatInputChannel(TensorData source, int channels) {
    long[] shape = source.shape();
    int kernel = source.values().length / (int) shape[0];
    float[] out = new float[source.values().length * channels];
    for (int o = 0; o < shape[0]; o++) {
      for (int c = 0; c < channels; c++) {
        for (int i = 0; i < kernel; i++) {
          out[(o * channels + c) * kernel + i] = source.values()[o * kernel + i] / channels;
        }
      }
    }
    shape[1] = channels;
    return new TensorData(shape, out);
  }

  private static TensorData sumInputChannels(TensorData source) {
    long[] shape = source.shape();
    int channels = (int) shape[1];
    int kernel = source.values().length / (int) (shape[0] * channels);
    float[] out = new float[(int) shape[0] * kernel];
    for (int o = 0; o < shape[0]; o++) {
      for (int c = 0; c < channels; c++) {
        for (int i = 0; i < kernel; i++) {
          out[o * kernel + i] += source.values()[(o * channels + c) * kernel + i];
        }
      }
    }
    shape[1] = 1;
    return new TensorData(shape, out);
  }

  /** One line for logs: counts per top-level part, e.g. "48 loaded {decoder=24, encoder=24}, ...". */
  public static String describe(TransferReport r) {
    return String.format("%d tensors loaded %s, %d fresh %s, %d unused %s", r.loaded().size(), byPart(r.loaded()),
        r.fresh().size(), byPart(r.fresh()), r.unused().size(), byPart(r.unused()));
  }

  static Map<String, Long> byPart(List<String> names) {
    return names.stream().collect(Collectors.groupingBy(
        n -> n.substring(0, Math.max(0, n.indexOf('.'))), TreeMap::new, Collectors.counting()));
  }
}
