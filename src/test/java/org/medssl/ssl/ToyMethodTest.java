package org.medssl.ssl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.MedsslException;
import org.medssl.data.PretrainImages;
import org.medssl.data.phantom.PhantomDataset;
import org.medssl.io.model.ModelFile;
import org.medssl.nn.Backbone;
import org.medssl.nn.Dims;
import org.medssl.nn.Encoder;
import org.medssl.study.config.StudyConfig;
import org.medssl.study.config.StudyYaml;
import org.medssl.tensor.Tensor;
import org.medssl.testkit.CliRun;
import org.medssl.train.MixedPrecision;
import org.medssl.train.StepLoss;

/**
 * Adding a pretext method with two options takes one class and one registry line: the class below
 * is all this test declares, and {@link #register} is the line. Its options then reach the
 * command line (flags, help, checks), study configs (keys, checks) and fingerprints.
 */
class ToyMethodTest {
  /** Pulls the encoder's pooled bottleneck of each slice towards a target value. */
  static final class Toy extends BasePretextMethod {
    static final MethodOption<Double> TARGET = MethodOption.number("toyTarget", "--toy-target", 0.0,
        "toy: the value the pooled features are pulled towards.").validWhen(Double::isFinite, "finite")
        .fingerprintedUnless(0.0);
    static final MethodOption<Boolean> SQUARED = MethodOption.bool("toySquared", "--toy-squared", false,
        "toy: squared instead of absolute error.").fingerprintedUnless(false);
    static final MethodSpec SPEC = MethodSpec.of("toy", Set.of(Dims.TWO), List.of(TARGET, SQUARED), Toy::new);

    private final Encoder encoder;
    private final double target;
    private final boolean squared;

    Toy(Backbone backbone, MethodOptions options, RandomGenerator rng) {
      super("toy", List.of("encoder"));
      encoder = Encoder.create(store, Encoder.PREFIX, backbone, 1, rng);
      target = options.get(TARGET);
      squared = options.get(SQUARED);
    }

    @Override
    public List<Stage> stages() {
      return List.of(new Stage("toy", 1, store.parameters(), Toy::slices, this::loss));
    }

    private static PretextBatch slices(PretrainImages images, int n, int[] size, RandomGenerator rng) {
      return Views.twoViews(images, org.medssl.augment.ViewRecipe.intensityOnly(),
          org.medssl.augment.ViewRecipe.intensityOnly(), n, size, rng);
    }

    private StepLoss loss(PretextBatch b, MixedPrecision amp) {
      Tensor x = Tensor.of(b.inputs().get(0), b.tensorShape());
      Tensor pooled = amp.forward(() -> {
        List<Tensor> f = encoder.forward(x, true);
        return f.get(f.size() - 1).globalAvgPool();
      }).toFloat().sub(target);
      return StepLoss.of((squared ? pooled.mul(pooled) : pooled.abs()).mean());
    }
  }

  @TempDir
  static Path dir;

  @BeforeAll
  static void register() {
    PretextMethods.register(Toy.SPEC);
  }

  @AfterAll
  static void unregister() {
    PretextMethods.unregister(Toy.SPEC.name()); // the registry is the JVM's: leave it as other tests expect it
  }

  @Test
  void itsOptionsAreFlagsOfPretrainWithTheirChecks() {
    Path data = dir.resolve("ph");
    PhantomDataset.write(data, 3, 1, 2);
    Path out = dir.resolve("toy.medssl");
    CliRun help = CliRun.of("pretrain", "--help");
    assertTrue(help.out().contains("--toy-target") && help.out().contains("toy: squared instead of absolute error."),
        help.out());
    CliRun run = CliRun.of("pretrain", "--method", "toy", "--data", data.toString(), "--out", out.toString(),
        "--steps", "3", "--batch", "2", "--channels", "2,4", "--threads", "1", "--precision", "fp32",
        "--toy-target", "0.5", "--toy-squared");
    assertEquals(0, run.code(), run.out() + run.err());
    String options = ModelFile.read(out).metadata().path("provenance").path("options").asText();
    assertEquals("toyTarget=0.5, toySquared=true", options);
    CliRun bad = CliRun.of("pretrain", "--method", "toy", "--data", data.toString(), "--out", out.toString(),
        "--toy-target", "NaN");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("toyTarget (--toy-target) must be finite, got NaN"), bad.err());
  }

  @Test
  void itsOptionsAreStudyKeysAndPartOfTheFingerprint() {
    StudyConfig c = StudyYaml.parse("dataset: {phantom: {}}\nlabeled: [1]\nseeds: [0]\ninits: [{name: plain, method: "
        + "toy}, {name: pulled, method: toy, toyTarget: 2, toySquared: true}]\n", "toy.yaml", Path.of("."));
    String plain = c.inits().get(0).pretraining().describe("toy", 10);
    String pulled = c.inits().get(1).pretraining().describe("toy", 10);
    assertNotEquals(plain, pulled);
    assertTrue(pulled.endsWith(",toyTarget=2.0,toySquared=true"), pulled);
    assertTrue(plain.endsWith("tau=0.99"), "at their defaults the options leave the fingerprint alone: " + plain);
    MedsslException e = assertThrows(MedsslException.class, () -> StudyYaml.parse("dataset: {phantom: {}}\nlabeled:"
        + " [1]\nseeds: [0]\ninits: [{name: t, method: toy, toyTarget: Infinity}]\n", "toy.yaml", Path.of(".")));
    assertTrue(e.getMessage().startsWith("toy.yaml: inits[0].toyTarget: toyTarget (--toy-target) must be finite"),
        e.getMessage());
  }
}
