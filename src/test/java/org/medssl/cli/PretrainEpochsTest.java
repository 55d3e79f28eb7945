package org.medssl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.data.PreprocessingOptions;
import org.medssl.data.phantom.PhantomDataset;
import org.medssl.io.dataset.DatasetLayouts;
import org.medssl.io.dataset.DatasetSpec;
import org.medssl.nn.Dims;
import org.medssl.ssl.PretrainJob;
import org.medssl.testkit.CliRun;

/** {@code pretrain --epochs}: the budget in passes over the pool's slices. */
class PretrainEpochsTest {
  @TempDir
  Path dir;

  @Test
  void epochsResolveToStepsOfThePool() {
    Path data = dir.resolve("ph");
    PhantomDataset.write(data, 3, 0, 3);
    DatasetSpec spec = DatasetLayouts.open(data);
    int pool = PretrainJob.poolSize(spec, PreprocessingOptions.AUTO.resolve(spec.modality()), Dims.TWO);
    int batch = (pool + 1) / 2; // two steps an epoch
    CliRun r = CliRun.of("pretrain", "--method", "denoise", "--data", data.toString(), "--out",
        dir.resolve("p.medssl").toString(), "--epochs", "1", "--batch", String.valueOf(batch), "--channels", "4,8",
        "--precision", "fp32");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("1 epochs of " + pool + " slices at batch " + batch + " = 2 steps"), r.out());
    assertTrue(r.out().contains("pretrained denoise: 2 steps"), r.out());
    assertTrue(r.out().contains("2 steps of batch " + batch + " = "), r.out());

    CliRun both = CliRun.of("pretrain", "--method", "denoise", "--data", data.toString(), "--out",
        dir.resolve("q.medssl").toString(), "--epochs", "1", "--steps", "2");
    assertEquals(Main.USER_ERROR, both.code());
    assertTrue(both.err().contains("give either --steps or --epochs"), both.err());
  }
}
