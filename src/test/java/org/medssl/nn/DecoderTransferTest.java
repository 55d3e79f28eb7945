package org.medssl.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.MedsslException;
import org.medssl.io.model.ModelFile;
import org.medssl.io.pytorch.ExternalWeights;
import org.medssl.tensor.TensorData;
import org.medssl.tensor.TransferReport;

/** A U-Net pretraining (encoder and U-Net decoder weights) fine-tuned under the light decoder. */
class DecoderTransferTest {
  private static final Backbone BACKBONE = new Backbone(Dims.TWO, EncoderKind.UNET, new int[] {4, 8, 16},
      NormKind.INSTANCE);

  @Test
  void aUnetFileGivesTheLightDecoderNetworkItsEncoderOnly(@TempDir Path dir) {
    Path file = dir.resolve("denoise.medssl");
    try (SegNet unet = net(DecoderKind.UNET, 1); SegNet light = net(DecoderKind.LIGHT, 2)) {
      writePretraining(unet, file);

      MedsslException plain = assertThrows(MedsslException.class, () -> WeightFiles.loadInto(light.weights(), file));
      assertTrue(plain.getMessage().contains("does not fit the network: weight decoder."), plain.getMessage());

      List<String> notes = new ArrayList<>();
      TransferReport r = WeightFiles.loadInto(light.weights(), file, notes::add, DecoderKind.LIGHT);
      long encoderWeights = light.weights().named().keySet().stream().filter(n -> n.startsWith("encoder.")).count();
      assertEquals(encoderWeights, r.loaded().size(), r.loaded().toString());
      assertTrue(r.loaded().stream().allMatch(n -> n.startsWith("encoder.")));
      assertTrue(r.fresh().stream().anyMatch(n -> n.startsWith("decoder.")));
      assertTrue(r.fresh().contains("head.w"), r.fresh().toString());
      assertTrue(r.unused().contains("head.w"), r.unused().toString());
      long shared = light.weights().named().keySet().stream()
          .filter(n -> !n.startsWith("encoder.") && unet.weights().named().containsKey(n)).count();
      assertTrue(shared > 2, "some decoder and head names meet: " + shared);
      assertEquals(List.of(file + ": " + shared + " of its weights beyond encoder.* were trained with the unet decoder,"
          + " the network has the light decoder: they start fresh"), notes);
    }
  }

  /** A file without an architecture (an older model file) is a U-Net; so is a PyTorch export. */
  @Test
  void filesThatNameNoDecoderAreUnets(@TempDir Path dir) {
    Path bare = dir.resolve("bare.medssl");
    Path exported = dir.resolve("unet.safetensors");
    try (SegNet unet = net(DecoderKind.UNET, 1); SegNet light = net(DecoderKind.LIGHT, 2)) {
      new ModelFile(ModelFile.newMetadata(), unet.weights().snapshot()).write(bare);
      Map<String, TensorData> named = new LinkedHashMap<>();
      unet.weights().snapshot().forEach((n, w) -> named.put(PyTorchNames.exported(n), w));
      ExternalWeights.writeSafetensors(exported, named, Map.of());
      for (Path file : List.of(bare, exported)) {
        List<String> notes = new ArrayList<>();
        TransferReport r = WeightFiles.loadInto(light.weights(), file, notes::add, DecoderKind.LIGHT);
        assertTrue(r.loaded().stream().allMatch(n -> n.startsWith("encoder.")), file + " " + r.loaded());
        assertTrue(r.fresh().contains("head.w"), file + " " + r.fresh());
        assertTrue(notes.stream().anyMatch(n -> n.contains("trained with the unet decoder")), file + " " + notes);
      }
    }
  }

  /** BYOL and PGL files hold no decoder: nothing to leave out, nothing to say. */
  @Test
  void anEncoderOnlyFileIsTakenWholeWithoutANote(@TempDir Path dir) {
    Path file = dir.resolve("pgl.medssl");
    try (SegNet unet = net(DecoderKind.UNET, 1); SegNet light = net(DecoderKind.LIGHT, 2)) {
      Map<String, TensorData> encoder = new LinkedHashMap<>();
      unet.weights().snapshot().forEach((n, w) -> {
        if (n.startsWith("encoder.")) {
          encoder.put(n, w);
        }
      });
      encoder.put("target.encoder.stage0.conv1.w", unet.weights().snapshot().get("encoder.stage0.conv1.w"));
      ObjectNode meta = ModelFile.newMetadata();
      meta.set("architecture", ArchitectureJson.of(BACKBONE));
      new ModelFile(meta, encoder).write(file);
      List<String> notes = new ArrayList<>();
      TransferReport r = WeightFiles.loadInto(light.weights(), file, notes::add, DecoderKind.LIGHT);
      assertEquals(encoder.size() - 1, r.loaded().size());
      assertEquals(List.of("target.encoder.stage0.conv1.w"), r.unused());
      assertTrue(notes.isEmpty(), notes.toString());
    }
  }

  @Test
  void theSameDecoderTakesEveryWeight(@TempDir Path dir) {
    Path file = dir.resolve("denoise.medssl");
    try (SegNet a = net(DecoderKind.UNET, 1); SegNet b = net(DecoderKind.UNET, 2)) {
      writePretraining(a, file);
      List<String> notes = new ArrayList<>();
      TransferReport r = WeightFiles.loadInto(b.weights(), file, notes::add, DecoderKind.UNET);
      assertTrue(r.loaded().stream().anyMatch(n -> n.startsWith("decoder.")), r.loaded().toString());
      assertEquals(List.of(), r.fresh());
      assertTrue(notes.isEmpty(), notes.toString());
    }
  }

  private static SegNet net(DecoderKind decoder, long seed) {
    return new SegNet(new SegNetConfig(BACKBONE, decoder, 1, 2), new SplittableRandom(seed));
  }

  /** The network's weights under the architecture a pretraining records: the backbone, no decoder named. */
  private static void writePretraining(SegNet net, Path file) {
    ObjectNode meta = ModelFile.newMetadata();
    meta.set("architecture", ArchitectureJson.of(BACKBONE));
    new ModelFile(meta, net.weights().snapshot()).write(file);
  }
}
