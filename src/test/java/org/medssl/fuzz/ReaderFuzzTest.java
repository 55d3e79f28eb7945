package org.medssl.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.medssl.MedsslException;
import org.medssl.io.pytorch.ExternalWeights;
import org.medssl.io.dataset.DatasetSpec;
import org.medssl.io.model.ModelFile;
import org.medssl.io.nifti.NiftiImage;
import org.medssl.io.nifti.NiftiReader;
import org.medssl.seg.ModelSpec;

/**
 * Coverage-guided fuzzing of everything that reads a file a user hands us. The contract under
 * test: any input either reads or fails with a {@link MedsslException} (one clear line for the
 * user); any other exception, an OutOfMemoryError or a hang is a finding. Findings land in
 * {@code src/test/resources/org/medssl/fuzz/ReaderFuzzTestInputs/<method>/} and are replayed by
 * every normal test run, together with the seed files there.
 *
 * <p>Plain {@code mvn test} replays the inputs; the {@code fuzz-*} executions in the POM set
 * {@code JAZZER_FUZZ=1} and fuzz one target each for a bounded time.
 */
class ReaderFuzzTest {
  private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};
  private static final Path DIR = tempDir();

  @FuzzTest(maxDuration = "60s")
  void nifti(byte[] input) throws IOException {
    boolean gzip = input.length >= 2 && input[0] == GZIP_MAGIC[0] && input[1] == GZIP_MAGIC[1];
    Path file = DIR.resolve(gzip ? "fuzz.nii.gz" : "fuzz.nii");
    Files.write(file, input);
    try {
      NiftiImage image = NiftiReader.read(file);
      image.volume();
      image.labels();
    } catch (MedsslException expected) {
      mustNameTheFile(expected, file);
    }
  }

  @FuzzTest(maxDuration = "60s")
  @DictionaryEntries({"\"labels\"", "\"training\"", "\"test\"", "\"unlabeled\"", "\"image\"", "\"label\"",
      "\"file_ending\"", "\"channel_names\"", "\"modality\"", "\"numTraining\"", "\"background\"",
      "\"./imagesTr/a.nii.gz\"", "\"imagesTr/b_0000.nii.gz\"", "\".nii.gz\"", "{\"0\": ", "null", "[]", "{}"})
  void datasetJson(byte[] input) throws IOException {
    Path dataset = DIR.resolve("dataset");
    Files.createDirectories(dataset.resolve("imagesTr"));
    Files.createDirectories(dataset.resolve("labelsTr"));
    for (String f : new String[] {"imagesTr/a.nii.gz", "labelsTr/a.nii.gz", "imagesTr/b_0000.nii.gz"}) {
      if (!Files.exists(dataset.resolve(f))) {
        Files.createFile(dataset.resolve(f));
      }
    }
    Files.write(dataset.resolve(DatasetSpec.FILE), input);
    try {
      DatasetSpec spec = DatasetSpec.read(dataset);
      spec.labelNames();
      spec.training();
    } catch (MedsslException expected) {
      mustNameTheFile(expected, dataset);
    }
  }

  /**
   * Zip CRCs stop mutations inside a model file at the zip layer, so the input is routed by its
   * first byte: a zip ("PK") is written as is; a JSON object ('{') becomes the metadata and
   * anything else the weights section of a model whose other part is the valid seed's.
   */
  @FuzzTest(maxDuration = "60s")
  @DictionaryEntries({"medssl.json", "weights.bin", "\"kind\"", "\"segmentation\"", "\"architecture\"",
      "\"channels\"", "\"classes\"", "\"dims\"", "\"norm\"", "\"preprocessing\"", "\"labels\"",
      "\"formatVersion\"", "\"medssl-model\"", "\"sliceAxis\"", "\"clip-zscore\"", "MSSL", "\"inference\"",
      "\"sliding-window\"", "\"patch\"", "\"overlap\""})
  void modelFile(byte[] input) throws IOException {
    Path file = DIR.resolve("fuzz.medssl");
    byte[] bytes = input;
    if (input.length > 0 && input[0] == '{') {
      bytes = SeedModel.zip(input, SeedModel.WEIGHTS);
    } else if (input.length > 0 && input[0] != 'P') {
      bytes = SeedModel.zip(SeedModel.META, input);
    }
    Files.write(file, bytes);
    try {
      ModelSpec.of(file, ModelFile.read(file));
    } catch (MedsslException expected) {
      mustNameTheFile(expected, file);
    }
  }

  /**
   * PyTorch weight files. A pickle (first byte 0x80, PROTO) becomes the {@code data.pkl} of a
   * torch.save zip whose storages 0 and 1 hold 64 bytes each (zip CRCs would stop mutations
   * inside a whole archive); anything else is written as it is (safetensors, zips, junk).
   */
  @FuzzTest(maxDuration = "60s")
  @DictionaryEntries({"OrderedDict", "_rebuild_tensor_v2", "FloatStorage", "HalfStorage", "LongStorage", "storage", "cpu", "\"dtype\"", "\"shape\"",
      "\"data_offsets\"", "\"F32\"", "\"BF16\"", "\"__metadata__\""})
  void pytorchWeights(byte[] input) throws IOException {
    Path file = DIR.resolve("fuzz.pt");
    if (input.length > 0 && (input[0] & 0xff) == 0x80) {
      try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
        zip.putNextEntry(new ZipEntry("archive/data.pkl"));
        zip.write(input);
        for (String storage : new String[] {"archive/data/0", "archive/data/1"}) {
          zip.putNextEntry(new ZipEntry(storage));
          zip.write(new byte[64]);
        }
      }
    } else {
      Files.write(file, input);
    }
    try {
      if (ExternalWeights.kind(file) != ExternalWeights.Kind.MEDSSL) { // .medssl zips: the modelFile target
        ExternalWeights.read(file).weights();
      }
    } catch (MedsslException expected) {
      mustNameTheFile(expected, file);
    }
  }

  private static void mustNameTheFile(MedsslException e, Path file) {
    if (e.getMessage() == null || !e.getMessage().contains(file.toString())) {
      throw new AssertionError("error does not name " + file + ": " + e.getMessage(), e);
    }
  }

  private static Path tempDir() {
    try {
      Path dir = Files.createTempDirectory("medssl-fuzz");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
