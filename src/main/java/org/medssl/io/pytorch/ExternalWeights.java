package org.medssl.io.pytorch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.medssl.MedsslException;
import org.medssl.tensor.TensorData;

/**
 * Weights from the PyTorch world, by the names their file gives them: a {@code torch.save}
 * state dict ({@code .pt}, {@code .pth}, {@code .bin}), a TorchScript module ({@code torch.jit.save})
 * or a safetensors file, recognised by their
 * first bytes, not their names. Only floating-point tensors become weights (as fp32); the others
 * (e.g. BatchNorm's {@code num_batches_tracked}) are listed in {@code skipped}.
 *
 * @param metadata safetensors' {@code __metadata__} (empty for other formats)
 * @param format what the file was read as, for logs
 */
public record ExternalWeights(Map<String, TensorData> weights, List<String> skipped, Map<String, String> metadata,
    String format) {

  public ExternalWeights {
    weights = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(weights));
    skipped = List.copyOf(skipped);
    metadata = Map.copyOf(metadata);
  }

  /** What a weight file is, from its first bytes. */
  public enum Kind { MEDSSL, TORCH, SAFETENSORS, TORCHSCRIPT }

  /** Recognises a weight file; anything else is one error line naming it. */
  public static Kind kind(Path path) {
    byte[] head = head(path);
    if (TorchArchive.isZip(head)) {
      try (ZipFile zip = new ZipFile(path.toFile())) {
        if (zip.getEntry("medssl.json") != null) {
          return Kind.MEDSSL;
        }
        boolean script = zip.stream().anyMatch(e -> e.getName().endsWith("/constants.pkl")
            || e.getName().contains("/code/"));
        return script ? Kind.TORCHSCRIPT : Kind.TORCH;
      } catch (IOException e) {
        throw new MedsslException(path + ": not a readable zip (" + e.getMessage() + ")");
      }
    }
    if (head.length >= 9 && head[8] == '{') {
      long n = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (n > 0 && n <= SafeTensors.MAX_HEADER) {
        return Kind.SAFETENSORS;
      }
    }
    throw new MedsslException(path + ": neither a .medssl model, a torch.save zip (PyTorch 1.6 or later) nor a"
        + " safetensors file");
  }

  /** Reads a PyTorch state dict, a TorchScript module or a safetensors file. */
  public static ExternalWeights read(Path path) {
    return read(path, kind(path));
  }

  /** As {@link #read(Path)} for a file whose {@link #kind} is known. */
  public static ExternalWeights read(Path path, Kind kind) {
    return switch (kind) {
      case TORCH, TORCHSCRIPT -> TorchArchive.read(path); // a TorchScript module's parameters sit in its data.pkl
      case SAFETENSORS -> SafeTensors.read(path);
      case MEDSSL -> throw new IllegalArgumentException(path + " is a .medssl model; read it with ModelFile");
    };
  }

  /** Writes a state dict as {@code torch.save(OrderedDict)} does. */
  public static void writeTorch(Path path, Map<String, TensorData> weights) {
    TorchArchive.write(path, weights);
  }

  /** Writes a safetensors file with string metadata. */
  public static void writeSafetensors(Path path, Map<String, TensorData> weights, Map<String, String> metadata) {
    SafeTensors.write(path, weights, metadata);
  }

  private static byte[] head(Path path) {
    try (InputStream in = Files.newInputStream(path)) {
      return in.readNBytes(9);
    } catch (IOException e) {
      throw new MedsslException(path + ": cannot read (" + e.getMessage() + ")");
    }
  }
}
