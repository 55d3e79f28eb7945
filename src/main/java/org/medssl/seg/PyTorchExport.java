package org.medssl.seg;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medssl.MedsslException;
import org.medssl.Version;
import org.medssl.io.AtomicFiles;
import org.medssl.io.Resources;
import org.medssl.io.pytorch.ExternalWeights;
import org.medssl.nn.DecoderKind;
import org.medssl.nn.PyTorchNames;
import org.medssl.tensor.TensorData;

/**
 * A segmentation model as PyTorch files, for users of PyTorch and MONAI: the weights (a
 * {@code torch.save} state dict or safetensors) under the names of the module in {@code model.py}
 * ({@link PyTorchNames#exported}), {@code <name>.json} beside them (architecture, preprocessing,
 * labels, 3D window: what {@code model.py} builds the network from and how scans must be prepared)
 * and {@code model.py} itself, so {@code model.load("m.pt")} gives the network in two lines.
 * TorchScript is made from there in Python ({@code python3 model.py m.pt --torchscript m.ts}): the
 * JavaCPP presets have no tracer, and a Java-written TorchScript archive would need the module's
 * source anyway.
 */
public final class PyTorchExport {
  /** The weight file's format. */
  public enum Format {
    PT("pt"), SAFETENSORS("safetensors");

    final String extension;

    Format(String extension) {
      this.extension = extension;
    }

    public static Format parse(String s) {
      for (Format f : values()) {
        if (f.extension.equalsIgnoreCase(s.strip())) {
          return f;
        }
      }
      throw new MedsslException("--format " + s + ": choose pt or safetensors (TorchScript: export pt, then run"
          + " python3 model.py m.pt --torchscript m.ts)");
    }
  }

  static final String MODULE_FILE = "model.py";
  private static final ObjectMapper JSON = new ObjectMapper();

  private PyTorchExport() {}

  /** Writes the weights to {@code out}, and the metadata and {@code model.py} beside it; returns the files. */
  public static List<Path> write(SegmentationModel model, Path out, Format format) {
    requireUNetDecoder(model);
    Map<String, TensorData> weights = new LinkedHashMap<>();
    model.net().weights().snapshot().forEach((name, t) -> weights.put(PyTorchNames.exported(name), t));
    String metadata = metadata(model);
    if (format == Format.PT) {
      ExternalWeights.writeTorch(out, weights);
    } else {
      ExternalWeights.writeSafetensors(out, weights, Map.of("medssl", metadata));
    }
    Path json = sidecar(out);
    AtomicFiles.writeString(json, metadata + "\n");
    Path module = out.toAbsolutePath().resolveSibling(MODULE_FILE);
    AtomicFiles.writeString(module, moduleSource());
    return List.of(out, json, module);
  }

  /** {@code m.pt} -> {@code m.json}. */
  static Path sidecar(Path weights) {
    String name = weights.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return weights.toAbsolutePath().resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".json");
  }

  private static void requireUNetDecoder(SegmentationModel model) {
    DecoderKind decoder = model.net().config().decoder();
    if (decoder != DecoderKind.UNET) {
      throw new MedsslException("export: model.py builds medssl's U-Net decoder (on the U-Net or ResNet encoders);"
          + " this model has the " + decoder.label() + " decoder, which export does not write yet");
    }
  }

  private static String metadata(SegmentationModel model) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(model.spec().toMetadata(Version.current()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a tree we built", e);
    }
  }

  static String moduleSource() {
    return Resources.text(PyTorchExport.class, MODULE_FILE);
  }

}
