package org.medssl.io.dataset;

import org.medssl.io.nifti.NiftiReader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.MedsslException;
import org.medssl.data.DatasetLoader;
import org.medssl.data.ClassPresence;
import org.medssl.data.Splits;
import org.medssl.image.Volume;
import org.medssl.io.dataset.DatasetSpec.Case;
import org.medssl.io.dataset.DatasetSpec.Layout;
import org.medssl.testkit.DatasetFixtures;

/** Each layout read from a fixture that follows it exactly, and the error when none fits. */
class DatasetLayoutsTest {
  @TempDir
  Path dir;

  @Test
  void msdMultiChannelReadsTheChosenChannel() {
    DatasetFixtures.msdTwoChannels(dir, 3, 1);
    DatasetSpec first = DatasetLayouts.open(dir);
    assertEquals(Layout.MSD, first.layout());
    assertEquals(List.of("T2", "ADC"), first.channelNames());
    assertEquals(0, first.channel());
    assertEquals(3, first.training().size());
    assertEquals(1, first.test().size());

    DatasetSpec adc = DatasetLayouts.open(dir, "adc");
    assertEquals(adc, DatasetLayouts.open(dir, "1"));
    assertEquals("ADC", adc.channelName());
    assertTrue(adc.training().stream().allMatch(c -> c.frame() == 1) && adc.test().get(0).frame() == 1);
    Case c = adc.training().get(0);
    Volume read = DatasetLoader.volumeOf(c, NiftiReader.read(c.image()));
    Volume t2 = DatasetFixtures.scan(1000, 2).image();
    assertArrayEquals(DatasetFixtures.otherContrast(t2).voxels(), read.voxels());

    MedsslException e = assertThrows(MedsslException.class, () -> DatasetLayouts.open(dir, "FLAIR"));
    assertTrue(e.getMessage().startsWith(dir + ": has no channel 'FLAIR'; its channels are 0 T2, 1 ADC"),
        e.getMessage());
    assertThrows(MedsslException.class, () -> DatasetLayouts.open(dir, "2"));
  }

  @Test
  void a4dImageWhereA3dOneIsExpectedIsAClearError() throws IOException {
    DatasetFixtures.msdTwoChannels(dir, 3, 0);
    Path json = dir.resolve("dataset.json");
    Files.writeString(json, Files.readString(json).replace("\"0\": \"T2\", \"1\": \"ADC\"", "\"0\": \"MRI\""));
    DatasetSpec spec = DatasetLayouts.open(dir);
    Case c = spec.training().get(0);
    MedsslException e = assertThrows(MedsslException.class,
        () -> new DatasetLoader(org.medssl.data.Preprocessing.mrDefault(), 2).load(c));
    assertTrue(e.getMessage().startsWith(c.image() + ": 4D image 16x16x4x2 where a 3D image is expected"),
        e.getMessage());
    assertThrows(MedsslException.class, () -> DatasetLayouts.open(dir, "ADC"));
  }

  @Test
  void acdcLabeledFramesTrainAndTheOtherCineFramesArePretrainingPool() {
    DatasetFixtures.acdc(dir, 3, 1);
    DatasetSpec spec = DatasetLayouts.open(dir);
    assertEquals(Layout.ACDC, spec.layout());
    assertEquals(List.of("background", "RV", "myocardium", "LV"), spec.labelNames());
    assertEquals(List.of("patient001_frame01", "patient001_frame03", "patient002_frame01", "patient002_frame03",
        "patient003_frame01", "patient003_frame03"), spec.training().stream().map(Case::id).toList());
    assertEquals(List.of("patient001", "patient002", "patient003"), spec.trainingSubjects());
    assertTrue(spec.training().stream().allMatch(c -> c.frame() == Case.WHOLE_FILE && c.labeled()));
    assertEquals(List.of("patient004_frame01", "patient004_frame03"), spec.test().stream().map(Case::id).toList());

    // The unlabeled pool: frames 2, 4, 5 of each training cine; never the test patient's.
    assertEquals(9, spec.unlabeled().size());
    List<Case> p1 = spec.unlabeled().stream().filter(c -> c.subject().equals("patient001")).toList();
    assertEquals(List.of("patient001_frame02", "patient001_frame04", "patient001_frame05"),
        p1.stream().map(Case::id).toList());
    assertEquals(List.of(1, 3, 4), p1.stream().map(Case::frame).toList());
    assertTrue(spec.unlabeled().stream().noneMatch(c -> c.subject().equals("patient004")));
    Case frame4 = p1.get(1);
    assertEquals(dir.resolve("training/patient001/patient001_4d.nii.gz"), frame4.image());
    assertArrayEquals(DatasetFixtures.acdcFrame(1, 4).image().voxels(),
        DatasetLoader.volumeOf(frame4, NiftiReader.read(frame4.image())).voxels());
  }

  @Test
  void splitsKeepAPatientsFramesTogether() {
    DatasetFixtures.acdc(dir, 6, 0);
    DatasetSpec spec = DatasetLayouts.open(dir);
    Splits.TrainValidation split = Splits.holdOutValidation(spec.trainingSubjects(), 2);
    List<Case> validation = spec.trainingCasesOf(split.validation());
    List<Case> pool = spec.trainingCasesOf(split.pool());
    assertEquals(4, validation.size(), "two patients, two labeled frames each");
    assertEquals(8, pool.size());
    assertTrue(Collections.disjoint(subjects(validation), subjects(pool)));
    ClassPresence presence = ClassPresence.ofLabels(spec);
    List<Case> budget = spec.trainingCasesOf(Splits.labeledBudget(split.pool(), 1, 0, presence));
    assertEquals(2, budget.size());
    java.util.BitSet classes = presence.classesOf(budget.get(0).subject());
    assertTrue(!classes.isEmpty() && classes.nextSetBit(0) >= 1 && classes.length() <= spec.labelNames().size(),
        "a patient's foreground classes, pooled over its frames: " + classes);
    assertEquals(1, subjects(budget).size());
  }

  @Test
  void acdcPatientFoldersAtTheTopAreTraining() throws IOException {
    DatasetFixtures.acdc(dir.resolve("src"), 2, 0);
    Files.move(dir.resolve("src/training/patient001"), dir.resolve("patient001"));
    Files.move(dir.resolve("src/training/patient002"), dir.resolve("patient002"));
    DatasetSpec spec = DatasetLayouts.open(dir);
    assertEquals(4, spec.training().size());
    assertEquals(6, spec.unlabeled().size());
    assertTrue(spec.test().isEmpty());
  }

  @Test
  void acdcLabelWithoutItsFrameIsAnError() throws IOException {
    DatasetFixtures.acdc(dir, 1, 0);
    Path frame = dir.resolve("training/patient001/patient001_frame03.nii.gz");
    Files.delete(frame);
    MedsslException e = assertThrows(MedsslException.class, () -> DatasetLayouts.open(dir));
    assertTrue(e.getMessage().contains("patient001_frame03_gt.nii.gz: no image patient001_frame03.nii.gz"),
        e.getMessage());
  }

  @Test
  void folderPairsMatchByNameWithTheChannelSuffix() {
    DatasetFixtures.folderPairs(dir, 3);
    DatasetSpec spec = DatasetLayouts.open(dir);
    assertEquals(Layout.FOLDER_PAIRS, spec.layout());
    assertEquals(List.of("case_0", "case_1", "case_2"), spec.training().stream().map(Case::id).toList());
    assertEquals(dir.resolve("labelsTr/case_1.nii.gz"), spec.training().get(1).label());
    assertEquals(List.of("extra"), spec.unlabeled().stream().map(Case::id).toList());
    assertEquals(List.of("test_0"), spec.test().stream().map(Case::id).toList());
    assertTrue(spec.test().get(0).labeled());
    assertEquals(List.of("background", "label_1", "label_2"), spec.labelNames(), "from the largest label value");
  }

  @Test
  void folderPairsTakeLabelNamesFromLabelsJson() throws IOException {
    DatasetFixtures.folderPairs(dir, 3);
    Files.writeString(dir.resolve("labels.json"), "{\"labels\": {\"background\": 0, \"outer\": 1, \"inner\": 2}}");
    assertEquals(List.of("background", "outer", "inner"), DatasetLayouts.open(dir).labelNames());
    Files.writeString(dir.resolve("labels.json"), "{\"0\": \"background\", \"2\": \"inner\"}");
    MedsslException e = assertThrows(MedsslException.class, () -> DatasetLayouts.open(dir));
    assertTrue(e.getMessage().startsWith(dir.resolve("labels.json") + ": labels must be numbered consecutively"),
        e.getMessage());
  }

  @Test
  void plainImagesAndLabelsFolders() throws IOException {
    DatasetFixtures.folderPairs(dir.resolve("src"), 2);
    Files.move(dir.resolve("src/imagesTr"), dir.resolve("images"));
    Files.move(dir.resolve("src/labelsTr"), dir.resolve("labels"));
    DatasetSpec spec = DatasetLayouts.open(dir);
    assertEquals(2, spec.training().size());
    assertTrue(spec.test().isEmpty());
    Files.delete(dir.resolve("images/case_1_0000.nii.gz"));
    MedsslException e = assertThrows(MedsslException.class, () -> DatasetLayouts.open(dir));
    assertTrue(e.getMessage().startsWith(dir.resolve("labels/case_1.nii.gz") + ": no image of the same name"),
        e.getMessage());
  }

  @Test
  void imageOnlyFolderIsAnUnlabeledPool() {
    DatasetFixtures.imageOnly(dir, 3);
    DatasetSpec spec = DatasetLayouts.open(dir);
    assertEquals(Layout.IMAGE_ONLY, spec.layout());
    assertEquals(3, spec.unlabeled().size());
    assertTrue(spec.training().isEmpty() && spec.test().isEmpty() && spec.labelNames().isEmpty());
    MedsslException e = assertThrows(MedsslException.class, () -> spec.requireTrainingLabels("finetune"));
    assertTrue(e.getMessage().startsWith(dir + ": image-only folder with 3 unlabeled image(s) and no labeled"
        + " training cases; finetune needs labels"), e.getMessage());
  }

  @Test
  void aDirectoryWithoutALayoutSaysWhatEachLayoutNeeds() throws IOException {
    Files.createDirectories(dir.resolve("images"));
    Files.writeString(dir.resolve("notes.txt"), "hello");
    MedsslException e = assertThrows(MedsslException.class, () -> DatasetLayouts.open(dir));
    String m = e.getMessage();
    assertTrue(m.startsWith(dir + ": no dataset layout recognised: no dataset.json (MSD), no patientNNN folders"), m);
    assertTrue(m.contains("no images/+labels/") && m.contains("(images/ has no labels/ beside it)")
        && m.contains("no .nii/.nii.gz files") && m.contains("notes.txt"), m);
    assertEquals(1, m.lines().count());
    MedsslException missing = assertThrows(MedsslException.class, () -> DatasetLayouts.open(dir.resolve("nope")));
    assertTrue(missing.getMessage().startsWith(dir.resolve("nope") + ": does not exist"), missing.getMessage());
  }

  private static Set<String> subjects(List<Case> cases) {
    return new HashSet<>(cases.stream().map(Case::subject).toList());
  }
}
