package org.medssl.study.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.medssl.MedsslException;
import org.medssl.nn.NormKind;
import org.medssl.seg.SegLoss;
import org.medssl.ssl.Contrastive;
import org.medssl.ssl.MaskedDenoising;
import org.medssl.ssl.MethodOption;
import org.medssl.ssl.MethodOptions;
import org.medssl.ssl.MomentumMethod;
import org.medssl.ssl.PretextMethods;
import org.medssl.ssl.PretrainConfig;
import org.medssl.ssl.ViewOptions;

public class StudyYamlTest {
  private static final String FULL = """
      name: chain
      dataset:
        path: data/ph
      pretraining: {steps: 100, batch: 8, seed: 3, optimizer: lars, maskFraction: 0.05}
      inits:
        - random
        - denoise
        - name: byol
          method: byol
          steps: 300
          tau: 0.98
          lengths: [50, 100]
        - {name: byol-byol, method: byol, from: byol, learningRate: 1e-3}
      labeled: [1, 4, 0.5, 1.0]
      seeds: [0, 7]
      finetune: {steps: 200, batch: 4, loss: dice, channels: [4, 8], norm: group, validation: 1, validateEvery: 20,
                 patience: 3, augment: false}
      reference: false
      precision: BF16
      """;

  public static StudyConfig parse(String yaml) {
    return StudyYaml.parse(yaml, "test.yaml", Path.of("/base"));
  }

  @Test
  void readsEveryPartOfTheFormat() {
    StudyConfig c = parse(FULL);
    assertEquals("chain", c.name());
    assertEquals(new DatasetSource.Directory(Path.of("/base/data/ph")), c.dataset());
    assertEquals(List.of("random", "denoise", "byol", "byol-byol"), c.inits().stream().map(InitSpec::name).toList());
    assertTrue(c.inits().get(0).isRandom());
    InitSpec denoise = c.inits().get(1);
    assertEquals(new PretrainSettings(100, 8, 3, PretrainConfig.OptimizerKind.LARS, null,
        MethodOptions.defaults().with(MaskedDenoising.MASK_FRACTION, 0.05)), denoise.pretraining());
    InitSpec byol = c.inits().get(2);
    assertEquals(300, byol.pretraining().steps());
    assertEquals(0.98, byol.pretraining().options().get(MomentumMethod.TAU));
    assertEquals(List.of("byol@50", "byol@100", "byol"), byol.labels());
    InitSpec chain = c.inits().get(3);
    assertEquals("byol", chain.from());
    assertEquals(1e-3, chain.pretraining().learningRate(), "YAML 1.1 reads 1e-3 as text; it must still be a number");
    assertEquals(List.of(Budget.ofCount(1), Budget.ofCount(4), Budget.ofFraction(0.5), Budget.ofFraction(1.0)), c.labeled());
    assertEquals(List.of(0L, 7L), c.seeds());
    FineTuneSettings f = c.finetune();
    assertEquals(List.of(4, 8), f.channels());
    assertEquals(SegLoss.DICE, f.loss());
    assertEquals(NormKind.GROUP, f.norm());
    assertEquals(200, f.steps());
    assertFalse(f.augment());
    assertFalse(c.reference());
    assertEquals(org.medssl.tensor.Precision.BF16, c.precision("auto"), "the config's precision applies under auto");
    assertEquals(org.medssl.tensor.Precision.FP32, c.precision("fp32"), "an explicit command-line precision wins");
  }

  @Test
  void defaultsFillWhatIsLeftOut() {
    StudyConfig c = parse("dataset: {phantom: {subjects: 9}}\ninits: [random, byol]\nlabeled: [1]\nseeds: [0]\n");
    assertEquals(new DatasetSource.Phantom(9, 72, 1), c.dataset());
    assertEquals(FineTuneSettings.defaults(), c.finetune());
    assertEquals(PretrainSettings.defaults(), c.inits().get(1).pretraining());
    assertTrue(c.reference(), "the fully supervised reference is on unless switched off");
    assertNull(c.inits().get(1).from());
  }

  @Test
  void aFetchedDatasetWithItsPreprocessing() {
    StudyConfig c = parse("dataset: {fetch: colin27, spacing: [2, 2]}\ninits: [random]\nlabeled: [1]\nseeds: [0]\n");
    assertEquals(new DatasetSource.Fetched("colin27", new org.medssl.data.PreprocessingOptions(new double[] {2, 2, 0},
        null)), c.dataset());
    assertEquals("fetch(colin27,version=2)+preprocessing(spacing=[2.0, 2.0, 0.0], ctWindow=auto)", c.dataset().describe());
    assertEquals("phantom(subjects=9,unlabeled=72,seed=1)",
        parse("dataset: {phantom: {subjects: 9}}\ninits: [random]\nlabeled: [1]\nseeds: [0]\n").dataset().describe(),
        "no preprocessing key: the fingerprint of older studies");
    StudyConfig colin = StudyYaml.read(Path.of("studies/colin27.yaml"));
    assertEquals(5 * 4 * 6, colin.inits().size() * colin.labeled().size() * colin.seeds().size());
  }

  @Test
  void phantomVersionTwoIsSelectableAndVersionOneKeepsItsFingerprint() {
    StudyConfig v2 = parse("dataset: {phantom: {subjects: 40, unlabeled: 120, seed: 1, version: 2}}\n"
        + "inits: [random]\nlabeled: [1]\nseeds: [0]\n");
    assertEquals(new DatasetSource.Phantom(40, 120, 1, 2, org.medssl.data.PreprocessingOptions.AUTO), v2.dataset());
    assertEquals("phantom(subjects=40,unlabeled=120,seed=1,version=2)", v2.dataset().describe());
    StudyConfig v1 = parse("dataset: {phantom: {subjects: 24, unlabeled: 72, seed: 1, version: 1}}\n"
        + "inits: [random]\nlabeled: [1]\nseeds: [0]\n");
    assertEquals(new DatasetSource.Phantom(24, 72, 1), v1.dataset());
    assertEquals("phantom(subjects=24,unlabeled=72,seed=1)", v1.dataset().describe(), "as before versions existed");
    assertError("dataset.phantom: 'version' must be 1 or 2", "dataset: {phantom: {version: 3}}\ninits: [random]\nlabeled: [1]\nseeds: [0]\n");
  }

  @Test
  void unknownMethodListsTheValidOnes() {
    MedsslException e = assertThrows(MedsslException.class,
        () -> parse("dataset: {phantom: {}}\ninits: [random, simclr]\nlabeled: [1]\nseeds: [0]\n"));
    assertTrue(e.getMessage().startsWith("test.yaml: "), e.getMessage());
    assertTrue(e.getMessage().contains("unknown pretext method 'simclr'"), e.getMessage());
    for (String m : PretextMethods.names()) {
      assertTrue(e.getMessage().contains(m), e.getMessage());
    }
  }

  @Test
  void aDatasetDirectoryMayChooseAChannel() {
    StudyConfig c = parse("dataset: {path: prostate, channel: ADC}\ninits: [random]\nlabeled: [1]\nseeds: [0]\n");
    assertEquals(new DatasetSource.Directory(Path.of("/base/prostate"), "ADC",
        org.medssl.data.PreprocessingOptions.AUTO), c.dataset());
    assertEquals("ADC", c.dataset().channel());
    assertEquals("dir(/base/prostate,channel=ADC)", c.dataset().describe());
    assertEquals("1", parse("dataset: {path: p, channel: 1}\ninits: [random]\nlabeled: [1]\nseeds: [0]\n")
        .dataset().channel());
    assertEquals("dir(/base/p)", parse("dataset: {path: p}\ninits: [random]\nlabeled: [1]\nseeds: [0]\n")
        .dataset().describe(), "no channel: the description (and old fingerprints) unchanged");
    assertError("'channel' chooses among a dataset's input channels", "dataset: {phantom: {}, channel: 1}\n"
        + "inits: [random]\nlabeled: [1]\nseeds: [0]\n");
  }

  @Test
  void typosAndBadValuesNameTheKey() {
    assertError("finetune.stpes: unknown key", "dataset: {phantom: {}}\ninits: [random]\nlabeled: [1]\nseeds: [0]\n"
        + "finetune: {stpes: 3}\n");
    assertError("finetune.norm: expected instance, batch or group", "dataset: {phantom: {}}\ninits: [random]\n"
        + "labeled: [1]\nseeds: [0]\nfinetune: {norm: layer}\n");
    assertError("labeled[1]: expected a subject count", "dataset: {phantom: {}}\ninits: [random]\nlabeled: [1, two]\n"
        + "seeds: [0]\n");
    assertError("budget is a positive subject count or a fraction in (0, 1]", "dataset: {phantom: {}}\n"
        + "inits: [random]\nlabeled: [1.5]\nseeds: [0]\n");
    assertError("missing 'seeds'", "dataset: {phantom: {}}\ninits: [random]\nlabeled: [1]\n");
    assertError("malformed YAML at line", "inits: [random\nlabeled: 1\n");
    assertError("exactly one of 'path'", "dataset: {}\ninits: [random]\nlabeled: [1]\nseeds: [0]\n");
  }

  @Test
  void aThreeDimensionalNetworkNeedsAFittingPatch() {
    StudyConfig c = parse("dataset: {phantom: {}}\ninits: [random]\nlabeled: [1]\nseeds: [0]\n"
        + "finetune: {dims: 3, encoder: resnet18, decoder: light, channels: [8, 16, 32], patch: [16, 32, 32]}\n");
    FineTuneSettings ft = c.finetune();
    assertEquals(new org.medssl.nn.Backbone(org.medssl.nn.Dims.THREE, org.medssl.nn.EncoderKind.RESNET18,
        new int[] {8, 16, 32}, org.medssl.nn.NormKind.INSTANCE), ft.backbone());
    assertEquals(org.medssl.nn.DecoderKind.LIGHT, ft.decoder());
    assertTrue(ft.describe().endsWith(",dims=3,encoder=resnet18,decoder=light,patch=[16, 32, 32]"
        + ",augment3d=zoom+intensity"), ft.describe());
    assertFalse(FineTuneSettings.defaults().describe().contains("dims"), "2D U-Net fingerprints stay as they were");
    String cells = "dataset: {phantom: {}}\ninits: [random]\nlabeled: [1]\nseeds: [0]\n";
    assertError("finetune: patch 16,30,32: every side must be a multiple of 4", cells
        + "finetune: {dims: 3, channels: [8, 16, 32], patch: [16, 30, 32]}\n");
    assertError("dims 3 needs patch", cells + "finetune: {dims: 3}\n");
    assertError("patch is for 3D networks", cells + "finetune: {patch: [16, 32, 32]}\n");
    assertError("finetune.dims: expected 2 (slices) or 3 (volumes), got 4", cells + "finetune: {dims: 4}\n");
    assertError("finetune.encoder: expected unet, resnet18 or resnet50", cells + "finetune: {encoder: vit}\n");
    assertError("inits: 'denoise': --method denoise works on 2D slices only, not --dims 3; methods for --dims 3: byol,"
        + " pgl", "dataset: {phantom: {}}\ninits: [random, denoise]\nlabeled: [1]\nseeds: [0]\n"
        + "finetune: {dims: 3, channels: [8, 16, 32], patch: [16, 32, 32]}\n");
    String threeD = "finetune: {dims: 3, channels: [8, 16, 32], patch: [16, 32, 32]}\n";
    assertError("inits: 'byol': byol: partitionPositives pairs 2D slices", "dataset: {phantom: {}}\nlabeled: [1]\n"
        + "seeds: [0]\npretraining: {steps: 4, partitionPositives: true}\ninits: [random, pgl, byol]\n" + threeD);
    parse("dataset: {phantom: {}}\nlabeled: [1]\nseeds: [0]\npretraining: {steps: 4, partitionPositives: true}\n"
        + "inits: [random, pgl]\n" + threeD); // PGL does not take the option: ignored, as before
  }

  @Test
  void pglAblationsAndTheirEmaDefault() {
    StudyConfig c = parse("dataset: {phantom: {}}\nlabeled: [1]\nseeds: [0]\ninits: [pgl, byol, {name: pgl-noalign,"
        + " method: pgl, flipAlign: false, cropAlign: false}, {name: pgl-noflip, method: pgl, flipAlign: false}]\n");
    // long enough runs start from the papers' values; shorter ones from a budget-sized tau (EmaBudgetTest)
    String pgl = c.inits().get(0).pretraining().describe("pgl", 5000);
    String views = ",flips=false,remap=0.5";
    assertTrue(pgl.endsWith("tau=0.996" + views + ",subSliceCrops=true"), "PGL's paper EMA start: " + pgl);
    assertTrue(c.inits().get(1).pretraining().describe("byol", 5000).endsWith("tau=0.99" + views), "BYOL's, as before");
    assertTrue(c.inits().get(2).pretraining().describe("pgl", 5000)
        .endsWith("tau=0.996,flipAlign=false,cropAlign=false" + views + ",subSliceCrops=true"));
    assertTrue(c.inits().get(3).pretraining().describe("pgl", 5000).endsWith("tau=0.996,flipAlign=false" + views
        + ",subSliceCrops=true"));
    assertTrue(c.inits().get(1).pretraining().describe("byol", 250).endsWith("tau=0.963" + views),
        "the resolved tau is described");
  }

  @Test
  void viewAndMaskOptionsParseAndOnlyTheOldBehaviourKeepsTheOldDescription() {
    StudyConfig c = parse("dataset: {phantom: {}}\nlabeled: [1]\nseeds: [0]\ninits: [denoise, contrastive,"
        + " {name: old-denoise, method: denoise, maskFraction: 0.02, maskBlock: 1, flips: true, remapProbability: 0},"
        + " {name: old-contrastive, method: contrastive, maskFraction: 0.02, localLevel: 0, flips: true,"
        + " remapProbability: 0, localCrops: false}, {name: old-pgl, method: pgl, maskFraction: 0.02, flips: true, remapProbability: 0,"
        + " subSliceCrops: false}, {name: coarse, method: contrastive, localLevel: 3, remapProbability: 0.8}]\n");
    String before = "steps=10,batch=16,seed=0,optimizer=adamw,lr=default,partitionPositives=false,maskFraction=0.02,";
    assertEquals(before + "tau=0.99", c.inits().get(2).pretraining().describe("denoise", 10));
    assertEquals(before + "tau=0.99", c.inits().get(3).pretraining().describe("contrastive", 10));
    assertEquals(before.replace("steps=10", "steps=5000") + "tau=0.996", c.inits().get(4).pretraining().describe("pgl",
        5000));
    MethodOptions old = c.inits().get(2).pretraining().options();
    assertTrue(old.get(ViewOptions.FLIPS) && old.get(ViewOptions.REMAP) == 0);
    assertEquals(1, old.get(MaskedDenoising.MASK_BLOCK));
    String denoise = c.inits().get(0).pretraining().describe("denoise", 10);
    assertTrue(denoise.endsWith("maskFraction=0.25,tau=0.99,flips=false,remap=0.5,maskBlock=8"), denoise);
    assertTrue(c.inits().get(1).pretraining().describe("contrastive", 10).endsWith(",localLevel=2,localCrops=true"));
    MethodOptions coarse = c.inits().get(5).pretraining().options();
    assertEquals(3, coarse.get(Contrastive.LOCAL_LEVEL));
    assertEquals(0.8, coarse.get(ViewOptions.REMAP));
    assertError("remapProbability (--remap-probability) must be in [0, 1]", "dataset: {phantom: {}}\nlabeled: [1]\nseeds: [0]\n"
        + "inits: [{name: x, method: byol, remapProbability: 2}]\n");
  }

  @Test
  void chainsMustPointBackToAnEarlierPretraining() {
    assertError("'b' continues from 'a', which must be a pretraining init listed before it",
        "dataset: {phantom: {}}\ninits: [{name: b, method: byol, from: a}, {name: a, method: byol}]\nlabeled: [1]\n"
            + "seeds: [0]\n");
    assertError("continues from 'random'", "dataset: {phantom: {}}\ninits: [random, {name: b, method: byol, from: random}]"
        + "\nlabeled: [1]\nseeds: [0]\n");
    assertError("used twice", "dataset: {phantom: {}}\ninits: [byol, byol]\nlabeled: [1]\nseeds: [0]\n");
    assertError("lengths must increase", "dataset: {phantom: {}}\ninits: [{method: byol, steps: 10, lengths: [5, 10]}]"
        + "\nlabeled: [1]\nseeds: [0]\n");
    assertError("reserved", "dataset: {phantom: {}}\ninits: [{name: reference, method: byol}]\nlabeled: [1]\nseeds: [0]\n");
  }

  @Test
  void theDemoCoversEveryRegisteredMethod() {
    StudyConfig demo = StudyYaml.resource("studies/demo.yaml");
    List<String> methods = demo.inits().stream().filter(i -> !i.isRandom()).map(InitSpec::method).toList();
    for (String m : PretextMethods.names()) {
      assertTrue(methods.contains(m), "demo.yaml lacks " + m);
    }
    assertEquals(new DatasetSource.Phantom(45, 60, 1, 2, org.medssl.data.PreprocessingOptions.AUTO), demo.dataset());
    assertTrue(demo.noiseFloor());
    assertEquals(List.of(Budget.ofCount(1), Budget.ofCount(2), Budget.ofCount(4)), demo.labeled());
    assertEquals(2, demo.seeds().size());
    assertTrue(demo.reference());
  }

  @Test
  void theRepositoryStudiesParse() {
    StudyConfig evidence = StudyYaml.read(Path.of("studies/label-efficiency.yaml"));
    assertEquals(10, evidence.seeds().size());
    assertEquals(List.of(0L, 1L, 2L), evidence.inits().get(1).pretraining().seeds());
    assertEquals(5, evidence.inits().size());
    StudyConfig full = StudyYaml.read(Path.of("studies/phantom-full.yaml"));
    assertEquals(5, full.seeds().size());
    assertTrue(full.inits().stream().anyMatch(i -> i.from() != null), "phantom-full has a hierarchical chain");
  }

  /**
   * The options each arm of an evidence variant may set differently from the evidence study's method
   * of the same name: the partition variant's cross-subject pairs, the denoising variant's mask and
   * restoration target.
   */
  private static final Map<String, List<MethodOption<?>>> VARIED = Map.of(
      "label-efficiency-partition", List.of(ViewOptions.PARTITION_POSITIVES),
      "label-efficiency-denoise", List.of(MaskedDenoising.MASK_BLOCK, MaskedDenoising.RESTORE_INTENSITY));

  /**
   * Every study in the repository parses, and the evidence study's variants pair with its cells
   * (bench/paired_across_studies.py): the same data, fine-tuning seeds and pretrainings, except that
   * the long variant and arms named {@code *-long} pretrain for more epochs, and the arms of the
   * partition and denoising variants are the evidence study's methods with some of the options in
   * {@link #VARIED} set (named otherwise, so they pair with random init of their own study).
   */
  @Test
  void everyRepositoryStudyParsesAndTheEvidenceVariantsPairWithIt() throws IOException {
    StudyConfig evidence = StudyYaml.read(Path.of("studies/label-efficiency.yaml"));
    int variants = 0;
    try (Stream<Path> files = Files.list(Path.of("studies"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        StudyConfig c = StudyYaml.read(file);
        if (c.name().startsWith("label-efficiency-")) {
          variants++;
          assertEquals(evidence.dataset(), c.dataset(), file.toString());
          assertEquals(evidence.seeds(), c.seeds(), file.toString());
          List<MethodOption<?>> varied = VARIED.getOrDefault(c.name(), List.of());
          for (InitSpec init : c.inits()) {
            String method = !varied.isEmpty() && init.method() != null ? init.method() : init.name();
            InitSpec same = evidence.inits().stream().filter(i -> i.name().equals(method)).findFirst().orElseThrow();
            PretrainSettings expected = same.pretraining();
            if (expected != null && !init.name().equals(method)) {
              assertNotEquals(expected.options(), init.pretraining().options(), file + " " + init.name()
                  + " is a variant: it sets one of " + varied.stream().map(MethodOption::name).toList());
            }
            if (expected != null) {
              MethodOptions options = expected.options();
              for (MethodOption<?> o : varied) {
                options = copy(o, init.pretraining().options(), options);
              }
              expected = new PretrainSettings(expected.steps(), expected.epochs(), expected.batch(), expected.seeds(),
                  expected.optimizer(), expected.learningRate(), options);
            }
            boolean longer = c.name().equals("label-efficiency-long") || init.name().endsWith("-long");
            if (expected != null && longer) {
              assertTrue(init.pretraining().epochs() > expected.epochs(), file + " " + init.name() + " pretrains longer");
              expected = new PretrainSettings(0, init.pretraining().epochs(), expected.batch(), expected.seeds(),
                  expected.optimizer(), expected.learningRate(), expected.options());
            }
            assertEquals(expected, init.pretraining(), file + " " + init.name());
          }
        }
      }
    }
    assertTrue(variants >= 6, "lpft, light, tuned, long, partition and denoise: " + variants);
  }

  private static <T> MethodOptions copy(MethodOption<T> option, MethodOptions from, MethodOptions to) {
    return to.with(option, from.get(option));
  }

  private static void assertError(String fragment, String yaml) {
    MedsslException e = assertThrows(MedsslException.class, () -> parse(yaml));
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
    assertTrue(e.getMessage().startsWith("test.yaml: "), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }

  @Test
  void fairFineTuningKeysAndTheirFingerprint() {
    String head = "dataset: {phantom: {}}\ninits: [random]\nlabeled: [1]\nseeds: [0]\n";
    FineTuneSettings d = FineTuneSettings.defaults();
    assertEquals(1.0, d.encoderLrScale());
    assertEquals(0, d.frozenEncoderSteps());
    assertFalse(d.tunes());
    // The description of the defaults as it was before these keys existed: finished cells stay valid.
    assertEquals("steps=1200,batch=8,lr=0.002,loss=dice_ce,channels=[16, 32, 64, 128],norm=instance,validation=2,"
        + "validateEvery=100,patience=6,augment=true", d.describe());
    assertEquals(d.describe(), parse(head + "finetune: {encoderLrScale: 1, frozenEncoderSteps: 0}\n").finetune()
        .describe(), "explicit defaults keep the old description");

    FineTuneSettings f = parse(head + "finetune: {steps: 300, learningRate: 0.002, encoderLrScale: 0.1,"
        + " frozenEncoderSteps: 50, tune: {learningRate: [0.001, 2e-3, 0.005]}}\n").finetune();
    assertEquals(0.1, f.encoderLrScale());
    assertEquals(50, f.frozenEncoderSteps());
    assertEquals(List.of(0.001, 0.002, 0.005), f.tuneLearningRates(), "2e-3 is text to YAML 1.1, still a number");
    assertTrue(f.tunes());
    assertTrue(f.describe().endsWith(",encoderLrScale=0.1,frozenEncoderSteps=50,tune.learningRate=[0.001, 0.002,"
        + " 0.005]"), f.describe());
    var cfg = f.toConfig(org.medssl.tensor.Precision.FP32, 3);
    assertEquals(0.1, cfg.encoderLrScale());
    assertEquals(50, cfg.frozenEncoderSteps());
    assertTrue(parse(head + "finetune: {tune: {learningRate: [0.001]}}\n").finetune().describe()
        .endsWith("augment=true,tune.learningRate=[0.001]"));

    assertError("finetune.tune.lr: unknown key", head + "finetune: {tune: {lr: [0.001]}}\n");
    assertError("finetune.tune.learningRate[1]: expected a number", head
        + "finetune: {tune: {learningRate: [0.001, fast]}}\n");
    assertError("finetune.tune.learningRate: list at least one", head + "finetune: {tune: {learningRate: []}}\n");
    assertError("validation must be at least 1", head + "finetune: {validation: 0, tune: {learningRate: [0.001]}}\n");
    assertError("lists a candidate twice", head + "finetune: {tune: {learningRate: [0.001, 0.001]}}\n");
    assertError("frozenEncoderSteps must be >= 0 and fewer than the 10 steps", head
        + "finetune: {steps: 10, frozenEncoderSteps: 10}\n");
    assertError("encoderLrScale must be a finite number >= 0", head + "finetune: {encoderLrScale: -0.5}\n");
  }
}
