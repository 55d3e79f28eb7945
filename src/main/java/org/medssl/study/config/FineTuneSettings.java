package org.medssl.study.config;

import java.util.List;
import java.util.Locale;
import org.medssl.MedsslException;
import org.medssl.data.PatchSize;
import org.medssl.nn.Backbone;
import org.medssl.nn.DecoderKind;
import org.medssl.nn.Dims;
import org.medssl.nn.EncoderKind;
import org.medssl.nn.NormKind;
import org.medssl.seg.FineTuneConfig;
import org.medssl.seg.SegLoss;
import org.medssl.tensor.Precision;

/**
 * The fine-tuning budget every cell of a study shares; the network (channels, norm) is also what
 * the pretrainings are built for, so their weights transfer.
 *
 * @param validation training subjects held out for model selection (early stopping)
 * @param encoderLrScale the encoder's learning rate is {@code learningRate} times this
 *     ({@link FineTuneConfig#encoderLrScale})
 * @param frozenEncoderSteps the first steps train only the decoder and head
 *     ({@link FineTuneConfig#frozenEncoderSteps})
 * @param tuneLearningRates empty, or the candidate learning rates every cell fine-tunes with (one
 *     run each, the same for every arm); the run with the best validation Dice is the cell's result
 */
public record FineTuneSettings(int steps, int batch, double learningRate, SegLoss loss, List<Integer> channels,
    NormKind norm, int validation, int validateEvery, int patience, boolean augment, Dims dims, EncoderKind encoder,
    DecoderKind decoder, List<Integer> patch, double encoderLrScale, int frozenEncoderSteps,
    List<Double> tuneLearningRates) {

  public FineTuneSettings {
    channels = List.copyOf(channels);
    patch = List.copyOf(patch);
    tuneLearningRates = List.copyOf(tuneLearningRates);
    if (!(encoderLrScale >= 0) || Double.isInfinite(encoderLrScale)) {
      throw new MedsslException("finetune: encoderLrScale must be a finite number >= 0, got " + encoderLrScale);
    }
    if (frozenEncoderSteps < 0 || frozenEncoderSteps >= steps) {
      throw new MedsslException("finetune: frozenEncoderSteps must be >= 0 and fewer than the " + steps
          + " steps, got " + frozenEncoderSteps);
    }
    if (tuneLearningRates.stream().anyMatch(lr -> !(lr > 0) || lr.isInfinite())) {
      throw new MedsslException("finetune: tune: learningRate candidates must be positive, got " + tuneLearningRates);
    }
    if (new java.util.HashSet<>(tuneLearningRates).size() != tuneLearningRates.size()) {
      throw new MedsslException("finetune: tune: learningRate lists a candidate twice: " + tuneLearningRates);
    }
    if (!tuneLearningRates.isEmpty() && validation < 1) {
      throw new MedsslException("finetune: tune picks the learning rate by validation Dice, so validation must be at"
          + " least 1");
    }
    if (steps < 1 || batch < 1 || validateEvery < 1 || patience < 1 || validation < 0) {
      throw new MedsslException("finetune: steps, batch, validateEvery and patience must be positive and validation"
          + " >= 0 (got steps " + steps + ", batch " + batch + ", validateEvery " + validateEvery + ", patience "
          + patience + ", validation " + validation + ")");
    }
    if (!(learningRate > 0)) {
      throw new MedsslException("finetune: learningRate must be positive, got " + learningRate);
    }
    if (channels.size() < 2 || channels.stream().anyMatch(c -> c < 1)) {
      throw new MedsslException("finetune: channels needs at least two positive stage widths, got " + channels);
    }
    requirePatchFits(dims, channels.size(), patch);
  }

  /** 3D networks train on patches whose sides the encoder can halve at every stage; 2D ones on whole slices. */
  private static void requirePatchFits(Dims dims, int stages, List<Integer> patch) {
    if (dims == Dims.TWO && !patch.isEmpty()) {
      throw new MedsslException("finetune: patch is for 3D networks (dims: 3); 2D networks see whole slices");
    }
    if (dims == Dims.THREE) {
      if (patch.isEmpty()) {
        throw new MedsslException("finetune: dims 3 needs patch: [depth, height, width]");
      }
      String text = String.join(",", patch.stream().map(String::valueOf).toList());
      PatchSize.parse("finetune: patch", text).requireDivisibleBy(1 << (stages - 1), "finetune: patch");
    }
  }

  /** The 3D patch, or null for 2D. */
  public PatchSize patchSize() {
    return PatchSize.ofList(patch);
  }

  /** The fine-tune command's defaults (1200 steps, batch 8, Dice + CE, U-Net 16-32-64-128, instance norm). */
  public static FineTuneSettings defaults() {
    FineTuneConfig d = FineTuneConfig.defaults(Precision.FP32, 0);
    return new FineTuneSettings(d.steps(), d.batch(), d.learningRate(), d.loss(), List.of(16, 32, 64, 128),
        NormKind.INSTANCE, 2, d.validateEvery(), d.patience(), d.augment(), Dims.TWO, EncoderKind.UNET, DecoderKind.UNET,
        List.of(), d.encoderLrScale(), d.frozenEncoderSteps(), List.of());
  }

  /** Whether each cell picks its learning rate among {@link #tuneLearningRates}. */
  public boolean tunes() {
    return !tuneLearningRates.isEmpty();
  }

  public int[] channelArray() {
    return channels.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The network every pretraining and fine-tuning of the study builds. */
  public Backbone backbone() {
    return new Backbone(dims, encoder, channelArray(), norm);
  }

  public FineTuneConfig toConfig(Precision precision, long seed) {
    return FineTuneConfig.builder(precision, seed).steps(steps).batch(batch).learningRate(learningRate)
        .validateEvery(validateEvery).patience(patience).augment(augment).loss(loss).encoderLrScale(encoderLrScale)
        .frozenEncoderSteps(frozenEncoderSteps).build();
  }

  /**
   * Everything that changes a fine-tuning result, for fingerprints. The network's dims, encoder,
   * decoder and patch appear only when they differ from the 2D U-Net, and the encoder's learning
   * rate scale, its frozen steps and the tuning grid only when set, so studies written before they
   * existed keep their finished cells. A 3D study with augmentation says so, as its cells from before
   * 3D augmentation existed were trained without it.
   */
  public String describe() {
    String base = String.format(Locale.ROOT, "steps=%d,batch=%d,lr=%s,loss=%s,channels=%s,norm=%s,validation=%d,"
        + "validateEvery=%d,patience=%d,augment=%s", steps, batch, learningRate, loss.name().toLowerCase(Locale.ROOT),
        channels, norm.name().toLowerCase(Locale.ROOT), validation, validateEvery, patience, augment);
    boolean plain2d = dims == Dims.TWO && encoder == EncoderKind.UNET && decoder == DecoderKind.UNET;
    String network = plain2d ? base : base + String.format(Locale.ROOT, ",dims=%d,encoder=%s,decoder=%s,patch=%s",
        dims.count(), encoder.label(), decoder.label(), patch);
    if (dims == Dims.THREE && augment) { // 3D augmentation came later: cells trained without it are not reused
      network += ",augment3d=zoom+intensity";
    }
    return network + (encoderLrScale == 1.0 ? "" : ",encoderLrScale=" + encoderLrScale)
        + (frozenEncoderSteps == 0 ? "" : ",frozenEncoderSteps=" + frozenEncoderSteps)
        + (tuneLearningRates.isEmpty() ? "" : ",tune.learningRate=" + tuneLearningRates);
  }
}
