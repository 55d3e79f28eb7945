package org.medssl.io.model;

import org.medssl.io.AtomicFiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.medssl.MedsslException;
import org.medssl.tensor.TensorData;

/**
 * A training run's state between two steps, for {@code --resume}: what the run is and where it
 * stands ({@code checkpoint.json}), every weight including momentum targets ({@code weights.bin},
 * the model file's format) and the optimiser's state ({@code optimizer.bin}, opaque here). Written
 * atomically, so a kill leaves the previous checkpoint or this one, never a torn file.
 */
public record Checkpoint(ObjectNode metadata, Map<String, TensorData> weights, byte[] optimizer) {
  private static final String META = "checkpoint.json";
  private static final String WEIGHTS = "weights.bin";
  private static final String OPTIMIZER = "optimizer.bin";
  private static final ObjectMapper JSON = new ObjectMapper();

  public Checkpoint {
    weights = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    optimizer = optimizer.clone();
  }

  @Override
  public byte[] optimizer() {
    return optimizer.clone();
  }

  public static ObjectNode newMetadata() {
    return JSON.createObjectNode();
  }

  public void write(Path path) {
    AtomicFiles.write(path, out -> {
      ZipOutputStream zip = new ZipOutputStream(out);
      zip.putNextEntry(new ZipEntry(META));
      zip.write(JSON.writeValueAsBytes(metadata));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry(WEIGHTS));
      ModelFile.writeWeights(new DataOutputStream(zip), weights);
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry(OPTIMIZER));
      zip.write(optimizer);
      zip.closeEntry();
      zip.finish();
    });
  }

  public static Checkpoint read(Path path) {
    ObjectNode meta = null;
    Map<String, TensorData> weights = null;
    byte[] optimizer = null;
    try (InputStream in = Files.newInputStream(path); ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        switch (e.getName()) {
          case META -> meta = meta(path, zip.readAllBytes());
          case WEIGHTS -> weights = ModelFile.readWeights(path, new DataInputStream(zip));
          case OPTIMIZER -> optimizer = zip.readAllBytes();
          default -> { }
        }
      }
    } catch (NoSuchFileException e) {
      throw new MedsslException(path + ": checkpoint does not exist");
    } catch (EOFException | ZipException | IllegalArgumentException e) {
      throw new MedsslException(path + ": not a complete checkpoint (truncated or corrupt: " + e.getMessage() + ")");
    } catch (IOException e) {
      throw new MedsslException(path + ": cannot read checkpoint: " + e.getMessage());
    }
    if (meta == null || weights == null || optimizer == null) {
      throw new MedsslException(path + ": not a complete checkpoint (a part is missing)");
    }
    return new Checkpoint(meta, weights, optimizer);
  }

  private static ObjectNode meta(Path path, byte[] bytes) {
    try {
      JsonNode node = JSON.readTree(bytes);
      if (node instanceof ObjectNode o) {
        return o;
      }
    } catch (IOException e) {
      // reported below
    }
    throw new MedsslException(path + ": checkpoint metadata is not a JSON object");
  }
}
