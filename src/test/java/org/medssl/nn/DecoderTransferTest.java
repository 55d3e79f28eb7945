package org.medssl.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.MedsslException;
import org.medssl.io.model.ModelFile;
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
      long others = unet.weights().named().size() - encoderWeights;
      assertEquals(List.of(file + ": " + others + " weights beyond encoder.* come with the unet decoder, the network has"
          + " the light decoder: they are not taken"), notes);
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
