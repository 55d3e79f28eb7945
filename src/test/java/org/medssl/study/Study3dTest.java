package org.medssl.study;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.data.phantom.PhantomDataset;

/**
 * A tiny 3D study through the command line: random init, PGL and PGL without alignment on 3D
 * patches, every output including the example figure (which must use the sliding window).
 */
class Study3dTest {
  @TempDir
  Path dir;

  @Test
  void runsRandomPglAndItsAblationInThreeDimensions() throws Exception {
    PhantomDataset.write(dir.resolve("ph"), 5, 2, 4);
    Files.writeString(dir.resolve("s3.yaml"), """
        name: tiny3d
        dataset: {path: ph}
        pretraining: {steps: 2, batch: 2}
        inits: [random, pgl, {name: pgl-noalign, method: pgl, flipAlign: false, cropAlign: false}]
        labeled: [1]
        seeds: [0]
        finetune: {dims: 3, channels: [4, 8], patch: [8, 16, 16], steps: 2, batch: 1, validation: 1,
                   validateEvery: 2, patience: 1}
        reference: false
        """);
    Path out = dir.resolve("out");
    String log = StudyEndToEndTest.run("study", "--config", dir.resolve("s3.yaml").toString(), "--out",
        out.toString(), "--precision", "bf16");
    for (String f : List.of("summary.csv", "example.png", "report.html", "pretrained/pgl.medssl",
        "pretrained/pgl-noalign.medssl")) {
      assertTrue(Files.isRegularFile(out.resolve(f)), f + "\n" + log);
    }
    String summary = Files.readString(out.resolve("summary.csv"));
    for (String method : List.of("random", "pgl", "pgl-noalign")) {
      assertTrue(summary.contains(method + ","), summary);
    }
  }
}
