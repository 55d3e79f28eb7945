package org.medssl.study;

import org.medssl.study.config.StudyConfig;
import org.medssl.study.config.StudyYaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.MedsslException;
import org.medssl.cli.Main;
import org.medssl.testkit.CliRun;
import org.medssl.data.phantom.PhantomDataset;

/**
 * Inits from weight files ({@code file:}), Kalapos' generalist init: a {@code .medssl} model and a
 * PyTorch export of it start every cell of their arm, are compared with random init like any
 * pretraining, and a changed file is another init (its content is in the cells' fingerprint, so the
 * study refuses to mix its old cells in).
 */
class StudyFileInitTest {
  @TempDir
  Path dir;

  @Test
  void weightFilesInitialiseTheirArmsAndAChangedFileRunsThemAgain() throws Exception {
    PhantomDataset.write(dir.resolve("ph"), 5, 0, 3);
    Path medssl = dir.resolve("init.medssl");
    StudyEndToEndTest.run("finetune", "--data", dir.resolve("ph").toString(), "--labeled", "1", "--validation", "1",
        "--channels", "4,8", "--steps", "2", "--batch", "2", "--precision", "fp32", "--out", medssl.toString());
    StudyEndToEndTest.run("export", "--model", medssl.toString(), "--out", dir.resolve("weights/init.pt").toString());
    Files.writeString(dir.resolve("files.yaml"), """
        name: files
        dataset: {path: ph}
        inits:
          - random
          - {name: generalist, file: init.medssl}
          - {file: weights/init.pt}
        labeled: [1]
        seeds: [0]
        finetune: {steps: 2, batch: 2, channels: [4, 8], validation: 1, validateEvery: 2, patience: 2}
        """);
    Path out = dir.resolve("out");
    String first = StudyEndToEndTest.run("study", "--config", dir.resolve("files.yaml").toString(), "--out",
        out.toString(), "--precision", "fp32");
    assertTrue(first.contains("fine-tuning generalist-n1-s0 from " + medssl), first);
    assertTrue(first.contains("fine-tuning init-n1-s0 from " + dir.resolve("weights/init.pt")), first);
    List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
    assertTrue(summary.stream().anyMatch(l -> l.startsWith("generalist,1,")), summary.toString());
    assertTrue(summary.stream().anyMatch(l -> l.startsWith("init,1,")), summary.toString());

    String again = StudyEndToEndTest.run("study", "--config", dir.resolve("files.yaml").toString(), "--out",
        out.toString(), "--precision", "fp32");
    assertTrue(!again.contains("fine-tuning generalist-n1-s0"), "an unchanged file reuses its cell: " + again);
    StudyEndToEndTest.run("finetune", "--data", dir.resolve("ph").toString(), "--labeled", "1", "--validation", "1",
        "--channels", "4,8", "--steps", "3", "--batch", "2", "--precision", "fp32", "--out", medssl.toString());
    // a changed file is another init: its finished cells are not mixed in silently (as for changed settings)
    CliRun changed = CliRun.of("study", "--config", dir.resolve("files.yaml").toString(), "--out", out.toString(),
        "--precision", "fp32");
    assertEquals(Main.USER_ERROR, changed.code(), changed.out());
    assertTrue(changed.err().contains("generalist-n1-s0.json: was computed with other settings")
        && changed.err().contains("init={file=init.medssl,sha256="), changed.err());
  }

  @Test
  void aFileInitNeitherPretrainsNorContinuesAnything() {
    MedsslException e = assertThrows(MedsslException.class, () -> StudyYaml.parse("""
        name: x
        dataset: {path: ph}
        inits: [random, {name: g, file: w.pt, method: byol}]
        labeled: [1]
        seeds: [0]
        """, "x.yaml", dir));
    assertTrue(e.getMessage().contains("'file' initialises from weights"), e.getMessage());
    e = assertThrows(MedsslException.class, () -> StudyYaml.parse("""
        name: x
        dataset: {path: ph}
        inits: [random, {name: g, file: w.pt}, {name: b, method: byol, from: g}]
        labeled: [1]
        seeds: [0]
        """, "x.yaml", dir));
    assertTrue(e.getMessage().contains("continues from 'g', which must be a pretraining init"), e.getMessage());
    StudyConfig c = StudyYaml.parse("""
        name: x
        dataset: {path: ph}
        inits: [random, {file: nets/resnet50-imagenet.pth}]
        labeled: [1]
        seeds: [0]
        """, "x.yaml", dir);
    assertEquals("resnet50-imagenet", c.inits().get(1).name());
    assertEquals(dir.resolve("nets/resnet50-imagenet.pth"), c.inits().get(1).file());
  }
}
