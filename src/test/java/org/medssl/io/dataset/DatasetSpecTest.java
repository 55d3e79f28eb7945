package org.medssl.io.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.MedsslException;
import org.medssl.io.dataset.DatasetSpec.Case;

class DatasetSpecTest {

  @TempDir
  Path dir;

  private static final String V1 = """
      {
        "name": "Liver", "description": "MSD style",
        "modality": {"0": "MRI"},
        "labels": {"0": "background", "1": "liver", "2": "tumour"},
        "numTraining": 2, "numTest": 1,
        "training": [
          {"image": "./imagesTr/a.nii.gz", "label": "./labelsTr/a.nii.gz"},
          {"image": "./imagesTr/b.nii.gz", "label": "./labelsTr/b.nii.gz"}
        ],
        "test": ["./imagesTs/c.nii.gz"]
      }
      """;

  @Test
  void readsMsdV1WithBareTestPaths() throws IOException {
    touch("imagesTr/a.nii.gz", "labelsTr/a.nii.gz", "imagesTr/b.nii.gz", "labelsTr/b.nii.gz",
        "imagesTs/c.nii.gz");
    json(V1);
    DatasetSpec spec = DatasetSpec.read(dir);
    assertEquals("Liver", spec.name());
    assertEquals("MSD style", spec.description());
    assertEquals("MRI", spec.modality());
    assertEquals(List.of("background", "liver", "tumour"), spec.labelNames());
    assertEquals(List.of("a", "b"), spec.training().stream().map(Case::id).toList());
    assertEquals(dir.resolve("labelsTr/b.nii.gz"), spec.training().get(1).label());
    Case test = spec.test().get(0);
    assertEquals("c", test.id());
    assertEquals(dir.resolve("imagesTs/c.nii.gz"), test.image());
    assertNull(test.label());
    assertTrue(spec.unlabeled().isEmpty());
  }

  @Test
  void readsNnUNetV2LabelsAndChannelNames() throws IOException {
    touch("imagesTr/a.nii.gz", "labelsTr/a.nii.gz");
    json("""
        {"channel_names": {"0": "CT"}, "labels": {"background": 0, "kidney": 1, "spleen": 2},
         "training": [{"image": "imagesTr/a.nii.gz", "label": "labelsTr/a.nii.gz"}]}
        """);
    DatasetSpec spec = DatasetSpec.read(dir);
    assertEquals("CT", spec.modality());
    assertEquals(List.of("background", "kidney", "spleen"), spec.labelNames());
    assertEquals(dir.getFileName().toString(), spec.name()); // no name: the directory's
  }

  @Test
  void findsNnUNetV2CasesByFileEnding() throws IOException {
    touch("imagesTr/p1_0000.nii.gz", "labelsTr/p1.nii.gz", "imagesTr/p2_0000.nii.gz",
        "labelsTr/p2.nii.gz", "imagesTs/p3_0000.nii.gz", "imagesTr/u9_0000.nii.gz");
    json("""
        {"channel_names": {"0": "T2"}, "labels": {"background": 0, "prostate": 1},
         "numTraining": 2, "file_ending": ".nii.gz"}
        """);
    DatasetSpec spec = DatasetSpec.read(dir);
    assertEquals(List.of("p1", "p2"), spec.training().stream().map(Case::id).toList());
    assertEquals(dir.resolve("labelsTr/p2.nii.gz"), spec.training().get(1).label());
    assertEquals("p3", spec.test().get(0).id());
    assertFalse(spec.test().get(0).labeled());
    assertEquals(List.of("u9"), spec.unlabeled().stream().map(Case::id).toList(),
        "an image in imagesTr without a label is an unannotated scan for pretraining");
  }

  @Test
  void nnUNetV2ChannelFilesAreOneCaseAndTheChannelPicksTheFile() throws IOException {
    touch("imagesTr/p1_0000.nii.gz", "imagesTr/p1_0001.nii.gz", "labelsTr/p1.nii.gz",
        "imagesTs/p3_0000.nii.gz", "imagesTs/p3_0001.nii.gz", "imagesTr/u9_0000.nii.gz", "imagesTr/u9_0001.nii.gz");
    json("""
        {"channel_names": {"0": "T2", "1": "ADC"}, "labels": {"background": 0, "prostate": 1},
         "file_ending": ".nii.gz"}
        """);
    DatasetSpec t2 = DatasetLayouts.open(dir, null);
    assertEquals(DatasetSpec.Layout.NNUNET_V2, t2.layout());
    assertEquals(List.of("p1"), t2.training().stream().map(Case::id).toList(), "two files, one case");
    assertEquals(dir.resolve("imagesTr/p1_0000.nii.gz"), t2.training().get(0).image());
    DatasetSpec adc = DatasetLayouts.open(dir, "adc");
    assertEquals(1, adc.channel());
    assertEquals(dir.resolve("imagesTr/p1_0001.nii.gz"), adc.training().get(0).image());
    assertEquals(dir.resolve("labelsTr/p1.nii.gz"), adc.training().get(0).label());
    assertEquals(dir.resolve("imagesTs/p3_0001.nii.gz"), adc.test().get(0).image());
    assertEquals(dir.resolve("imagesTr/u9_0001.nii.gz"), adc.unlabeled().get(0).image());
    assertEquals(Case.WHOLE_FILE, adc.training().get(0).frame(), "each channel file is one 3D volume");

    Files.delete(dir.resolve("imagesTs/p3_0001.nii.gz"));
    assertError("case p3 has no imagesTs/p3_0001.nii.gz (channel 1, ADC; channel_names declares 2)");

    touch("imagesTs/p3_0001.nii.gz", "pool/q1_0000.nii.gz", "pool/q1_0001.nii.gz", "pool/q2.nii.gz");
    json("""
        {"channel_names": {"0": "T2", "1": "ADC"}, "labels": {"background": 0, "prostate": 1},
         "file_ending": ".nii.gz", "unlabeled": ["pool/q1_0000.nii.gz"]}
        """);
    DatasetSpec listed = DatasetLayouts.open(dir, "ADC");
    assertEquals(dir.resolve("pool/q1_0001.nii.gz"), listed.unlabeled().get(0).image(), "a listed case's channel file");
    json("""
        {"channel_names": {"0": "T2", "1": "ADC"}, "labels": {"background": 0, "prostate": 1},
         "file_ending": ".nii.gz", "unlabeled": ["pool/q2.nii.gz"]}
        """);
    assertError("unlabeled[0] q2.nii.gz: with 2 channels, list each case by its channel-0 file, {case}_0000.nii.gz");
  }

  @Test
  void readsTestPairsAndUnlabeledInEitherForm() throws IOException {
    touch("imagesTr/a.nii", "labelsTr/a.nii", "imagesTs/t.nii", "labelsTs/t.nii", "imagesUl/u1.nii",
        "imagesUl/u2.nii");
    json("""
        {"modality": {"0": "MRI"}, "labels": {"0": "background", "1": "liver"},
         "training": [{"image": "./imagesTr/a.nii", "label": "./labelsTr/a.nii"}],
         "test": [{"image": "./imagesTs/t.nii", "label": "./labelsTs/t.nii"}],
         "unlabeled": ["./imagesUl/u1.nii", {"image": "./imagesUl/u2.nii"}]}
        """);
    DatasetSpec spec = DatasetSpec.read(dir);
    assertEquals(dir.resolve("labelsTs/t.nii"), spec.test().get(0).label());
    assertEquals(List.of("u1", "u2"), spec.unlabeled().stream().map(Case::id).toList());
    assertFalse(spec.unlabeled().get(0).labeled());
  }

  @Test
  void writeThenReadRoundTripsWithRelativePaths() throws IOException {
    touch("imagesTr/a.nii.gz", "labelsTr/a.nii.gz", "imagesTs/t.nii.gz", "labelsTs/t.nii.gz",
        "imagesUl/u.nii.gz");
    DatasetSpec spec = new DatasetSpec(dir, "demo", "phantoms", List.of("MRI"),
        List.of("background", "liver", "kidney"),
        List.of(Case.of(dir.resolve("imagesTr/a.nii.gz"), dir.resolve("labelsTr/a.nii.gz"))),
        List.of(Case.of(dir.resolve("imagesTs/t.nii.gz"), dir.resolve("labelsTs/t.nii.gz"))),
        List.of(Case.of(dir.resolve("imagesUl/u.nii.gz"), null)));
    spec.write(dir);
    String text = Files.readString(dir.resolve("dataset.json"));
    assertTrue(text.contains("\"image\" : \"./imagesTr/a.nii.gz\""), text);
    assertTrue(text.contains("\"1\" : \"liver\""), text);
    assertTrue(text.contains("\n  \"training\""), "pretty-printed: " + text);
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(0, files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count());
    }
    assertEquals(spec, DatasetSpec.read(dir));
  }

  @Test
  void malformedJsonNamesFileAndLine() throws IOException {
    json("{\n  \"labels\": {\"0\": \"background\",\n  \"training\": [\n");
    MedsslException e = assertThrows(MedsslException.class, () -> DatasetSpec.read(dir));
    assertTrue(e.getMessage().startsWith(dir.resolve("dataset.json") + ": malformed JSON at line "),
        e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }

  @Test
  void missingFileIsReported() {
    MedsslException e = assertThrows(MedsslException.class, () -> DatasetSpec.read(dir));
    assertTrue(e.getMessage().contains("dataset.json: does not exist"), e.getMessage());
  }

  @Test
  void missingReferencedFileNamesEntryAndPath() throws IOException {
    touch("imagesTr/a.nii.gz", "labelsTr/a.nii.gz", "imagesTr/b.nii.gz", "imagesTs/c.nii.gz");
    json(V1);
    assertError("training[1].label ./labelsTr/b.nii.gz does not exist");
  }

  @Test
  void missingRequiredKeys() throws IOException {
    touch("imagesTr/a.nii", "labelsTr/a.nii");
    String training = "\"training\": [{\"image\": \"./imagesTr/a.nii\", \"label\": \"./labelsTr/a.nii\"}]";
    json("{\"modality\": {\"0\": \"MRI\"}, " + training + "}");
    assertError("missing 'labels'");
    json("{\"labels\": {\"0\": \"background\", \"1\": \"x\"}, " + training + "}");
    assertError("missing 'modality'");
    json("{\"modality\": {\"0\": \"MRI\"}, \"labels\": {\"0\": \"background\", \"1\": \"x\"}}");
    assertError("missing 'training'");
    json("{\"modality\": {\"0\": \"MRI\"}, \"labels\": {\"0\": \"background\", \"1\": \"x\"}, "
        + "\"training\": [{\"image\": \"./imagesTr/a.nii\"}]}");
    assertError("training[0] has no 'label'");
  }

  @Test
  void emptyDatasetIsAnError() throws IOException {
    json("{\"modality\": {\"0\": \"MRI\"}, \"labels\": {\"0\": \"background\", \"1\": \"x\"}, "
        + "\"training\": [], \"test\": []}");
    assertError("no training cases");
  }

  @Test
  void badLabelsAreErrors() throws IOException {
    touch("imagesTr/a.nii", "labelsTr/a.nii");
    String rest = ", \"modality\": {\"0\": \"MRI\"}, \"training\": [{\"image\": \"./imagesTr/a.nii\", "
        + "\"label\": \"./labelsTr/a.nii\"}]}";
    json("{\"labels\": {\"0\": \"background\", \"2\": \"x\"}" + rest);
    assertError("labels must be numbered consecutively from 0; 1 is missing");
    json("{\"labels\": {\"0\": \"background\", \"1\": \"x\", \"1\": \"y\"}" + rest);
    assertError("malformed JSON at line 1: Duplicate field '1'");
    json("{\"labels\": {\"background\": 0, \"tumour\": [1, 2]}" + rest);
    assertError("labels.tumour: region labels");
    json("{\"labels\": {\"zero\": \"background\"}" + rest);
    assertError("labels: key 'zero' is not an integer index");
  }

  @Test
  void duplicateCaseIdsAreErrors() throws IOException {
    touch("imagesTr/a.nii", "labelsTr/a.nii", "imagesTs/a.nii");
    json("""
        {"modality": {"0": "MRI"}, "labels": {"0": "background", "1": "x"},
         "training": [{"image": "./imagesTr/a.nii", "label": "./labelsTr/a.nii"}],
         "test": ["./imagesTs/a.nii"]}
        """);
    assertError("test[0]: case id a already used by training[0]");
  }

  @Test
  void caseIdsDropImageExtensions() {
    assertEquals("la_003", DatasetSpec.caseId(Path.of("imagesTr/la_003.nii.gz")));
    assertEquals("x", DatasetSpec.caseId(Path.of("x.nii")));
    assertThrows(IllegalArgumentException.class, () -> new Case(" ", Path.of("a"), null));
  }

  private void assertError(String expected) {
    MedsslException e = assertThrows(MedsslException.class, () -> DatasetSpec.read(dir));
    assertTrue(e.getMessage().startsWith(dir.resolve("dataset.json") + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private void json(String text) throws IOException {
    Files.writeString(dir.resolve("dataset.json"), text);
  }

  private void touch(String... paths) throws IOException {
    for (String p : paths) {
      Path f = dir.resolve(p);
      Files.createDirectories(f.getParent());
      Files.write(f, new byte[0]);
    }
  }
}
