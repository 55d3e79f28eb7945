package org.medssl.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.data.PatchSize;
import org.medssl.data.PreprocessingOptions;
import org.medssl.data.Subject;
import org.medssl.image.MultiChannelVolume;
import org.medssl.image.Volume;
import org.medssl.io.model.ModelFile;
import org.medssl.nn.Dims;
import org.medssl.nn.NormKind;
import org.medssl.nn.SegNet;
import org.medssl.nn.SegNetConfig;
import org.medssl.nn.WeightFiles;
import org.medssl.tensor.NoGrad;
import org.medssl.tensor.Precision;
import org.medssl.tensor.StepScope;
import org.medssl.tensor.Tensor;

/** Networks that read several input channels ({@code finetune --channel all}). */
class MultiChannelFineTuneTest {

  /** Channel 0 is noise; channel 1 carries {@code s}'s image, so only a network reading it can segment. */
  static Subject anatomyInSecondChannel(Subject s, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] noise = new float[s.image().voxels().length];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (float) rng.nextGaussian();
    }
    Volume image = s.image();
    return new Subject(s.id(), new MultiChannelVolume(List.of(new Volume(image.grid(), noise), image)), s.labels());
  }

  /** The same subject with its anatomy channel replaced by noise too. */
  static Subject anatomyRemoved(Subject s, long seed) {
    Volume noise = anatomyInSecondChannel(new Subject(s.id(), s.input().channel(0), s.labels()), seed).input().channel(0);
    return new Subject(s.id(), new MultiChannelVolume(List.of(s.input().channel(0), noise)), s.labels());
  }

  @Test
  void a2dNetworkLearnsFromTheChannelThatCarriesTheAnatomy() {
    List<Subject> train = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      train.add(anatomyInSecondChannel(FineTunerTest.disc("t" + i, i), 100 + i));
    }
    List<Subject> val = List.of(anatomyInSecondChannel(FineTunerTest.disc("v", 99), 199));
    FineTuneConfig cfg = new FineTuneConfig(60, 4, 1e-2, 0, 5, 20, 5, false, SegLoss.DICE_CE, Precision.FP32, 1,
        PreprocessingOptions.AUTO);
    try (SegNet net = new SegNet(new SegNetConfig(Dims.TWO, 2, 2, new int[] {4, 8}, NormKind.INSTANCE),
        new SplittableRandom(0))) {
      FineTuneResult r = new FineTuner(cfg, 2).run(net, train, val, FineTuneListener.NONE);
      assertTrue(r.bestValidationDice() > 0.9, "validation Dice " + r.bestValidationDice());
      double without = FineTuner.meanDice(net, new SliceInferer(2, 4, Precision.FP32),
          List.of(anatomyRemoved(val.get(0), 7)));
      assertTrue(without < 0.5, "Dice without the anatomy channel " + without + ": the network must read channel 1");
    }
  }

  @Test
  void a3dNetworkTrainsOnMultiChannelPatchesAndInfersWithTheSlidingWindow() {
    List<Subject> train = List.of(anatomyInSecondChannel(FineTuner3dTest.ball("a", 1), 11),
        anatomyInSecondChannel(FineTuner3dTest.ball("b", 2), 12), anatomyInSecondChannel(FineTuner3dTest.ball("c", 3), 13));
    List<Subject> val = List.of(anatomyInSecondChannel(FineTuner3dTest.ball("v", 99), 19));
    SlidingWindow window = SlidingWindow.of(new PatchSize(8, 16, 16));
    FineTuneConfig cfg = new FineTuneConfig(60, 2, 1e-2, 0, 4, 20, 5, true, SegLoss.DICE_CE, Precision.FP32, 1,
        PreprocessingOptions.AUTO);
    try (SegNet net = new SegNet(new SegNetConfig(Dims.THREE, 2, 2, new int[] {4, 8}, NormKind.INSTANCE),
        new SplittableRandom(0))) {
      FineTuneResult r = new FineTuner(cfg, 2, window).run(net, train, val, FineTuneListener.NONE);
      assertTrue(r.bestValidationDice() > 0.7, "validation Dice " + r.bestValidationDice());
      double without = FineTuner.meanDice(net, SlidingWindowInferer.of(window, Precision.FP32),
          List.of(anatomyRemoved(val.get(0), 7)));
      assertTrue(without < 0.5, "Dice without the anatomy channel " + without);
    }
  }

  /**
   * A network pretrained on one channel initialises a two-channel one: its first convolution is
   * repeated over the channels and halved, so a scan whose two channels are equal gives exactly the
   * single-channel network's logits.
   */
  @Test
  void aSingleChannelInitialisationIsSpreadOverTheInputChannels(@TempDir Path dir) {
    Path file = dir.resolve("one.medssl");
    float[] x = new float[2 * 16 * 16];
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    float[] twice = new float[2 * x.length]; // (2, 2, 16, 16): each sample's image in both channels
    for (int n = 0; n < 2; n++) {
      for (int c = 0; c < 2; c++) {
        System.arraycopy(x, n * 256, twice, (n * 2 + c) * 256, 256);
      }
    }
    try (SegNet one = new SegNet(new SegNetConfig(Dims.TWO, 1, 3, new int[] {4, 8}, NormKind.INSTANCE),
        new SplittableRandom(1));
         SegNet two = new SegNet(new SegNetConfig(Dims.TWO, 2, 3, new int[] {4, 8}, NormKind.INSTANCE),
             new SplittableRandom(2))) {
      new ModelFile(ModelFile.newMetadata(), one.weights().snapshot()).write(file);
      List<String> notes = new ArrayList<>();
      WeightFiles.loadInto(two.weights(), file, notes::add);
      assertTrue(notes.size() == 1 && notes.get(0).startsWith("encoder.") && notes.get(0).contains("repeated over 2"),
          notes.toString());
      one.train(false);
      two.train(false);
      try (StepScope s = StepScope.open(); NoGrad g = NoGrad.open()) {
        float[] expected = one.forward(Tensor.of(x, 2, 1, 16, 16)).toFloats();
        float[] actual = two.forward(Tensor.of(twice, 2, 2, 16, 16)).toFloats();
        assertArrayEquals(expected, actual, 1e-4f);
      }
    }
  }
}
