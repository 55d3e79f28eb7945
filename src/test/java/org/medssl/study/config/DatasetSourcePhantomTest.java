package org.medssl.study.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.MedsslException;
import org.medssl.data.PreprocessingOptions;
import org.medssl.io.dataset.DatasetLayouts;

/** A study's phantom directory holds the version its config asks for, or the study stops. */
class DatasetSourcePhantomTest {

  @Test
  void aVersionOneDirectoryIsNotTakenForVersionTwo(@TempDir Path study) {
    Path dir = new DatasetSource.Phantom(3, 0, 1).prepare(study, m -> { });
    assertEquals("medssl-phantom", DatasetLayouts.open(dir).name());
    DatasetSource v2 = new DatasetSource.Phantom(3, 0, 1, 2, PreprocessingOptions.AUTO);
    MedsslException e = assertThrows(MedsslException.class, () -> v2.prepare(study, m -> { }));
    assertTrue(e.getMessage().contains("phantom version 2"), e.getMessage());
    assertThrows(MedsslException.class, () -> new DatasetSource.Phantom(3, 0, 1, 3, PreprocessingOptions.AUTO));
  }

  @Test
  void versionTwoIsGeneratedWhenAsked(@TempDir Path study) {
    Path dir = new DatasetSource.Phantom(3, 1, 1, 2, PreprocessingOptions.AUTO).prepare(study, m -> { });
    assertEquals("medssl-phantom-v2", DatasetLayouts.open(dir).name());
    assertEquals(1, DatasetLayouts.open(dir).unlabeled().size());
  }
}
