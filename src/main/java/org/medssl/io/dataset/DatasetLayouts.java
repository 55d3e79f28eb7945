package org.medssl.io.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.medssl.MedsslException;

/**
 * The one entry point for reading a dataset directory: recognises its layout and reads it into a
 * {@link DatasetSpec}. Tried in this order, the first that fits wins:
 *
 * <ol>
 *   <li>MSD / nnU-Net: a {@code dataset.json} ({@link DatasetSpec#read});
 *   <li>ACDC: {@code patientNNN/} folders, directly or under {@code training/} and {@code testing/}
 *       ({@link AcdcLayout});
 *   <li>image/label folder pairs: {@code images/} + {@code labels/} or {@code imagesTr/} +
 *       {@code labelsTr/} ({@link FolderLayout});
 *   <li>an image-only folder of {@code .nii}/{@code .nii.gz} files: an unlabeled pool.
 * </ol>
 *
 * A directory that fits none is an error saying what each layout would have needed.
 */
public final class DatasetLayouts {
  private DatasetLayouts() {}

  /** Reads the dataset in {@code dir}, reading channel 0 of multi-channel images. */
  public static DatasetSpec open(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new MedsslException(dir + ": " + (Files.exists(dir) ? "is not a directory" : "does not exist")
          + " (expected a dataset directory)");
    }
    if (Files.exists(dir.resolve(DatasetSpec.FILE))) {
      return DatasetSpec.read(dir);
    }
    if (AcdcLayout.matches(dir)) {
      return AcdcLayout.read(dir);
    }
    for (FolderLayout.Pair pair : FolderLayout.PAIRS) {
      if (pair.presentIn(dir)) {
        return FolderLayout.readPairs(dir, pair);
      }
    }
    if (!FolderLayout.niftiFiles(dir).isEmpty()) {
      return FolderLayout.readImageOnly(dir);
    }
    throw new MedsslException(dir + ": no dataset layout recognised: no " + DatasetSpec.FILE
        + " (MSD), no patientNNN folders (ACDC, also under training/ or testing/), no images/+labels/ or"
        + " imagesTr/+labelsTr/ folders" + FolderLayout.loneImageFolder(dir) + ", no .nii/.nii.gz files"
        + contentsHint(dir));
  }

  /**
   * Reads the dataset in {@code dir} with the input channel chosen by name or index (null: channel
   * 0); single-channel datasets accept only channel 0.
   */
  public static DatasetSpec open(Path dir, String channel) {
    DatasetSpec spec = open(dir);
    return spec.withChannel(spec.channelIndex(channel));
  }

  /** An empty directory is the usual mistake (a wrong path); say so. */
  private static String contentsHint(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      List<String> names = s.map(p -> p.getFileName().toString()).sorted().limit(6).toList();
      return names.isEmpty() ? " (the directory is empty)" : " (it holds " + String.join(", ", names)
          + (names.size() == 6 ? ", ..." : "") + ")";
    } catch (IOException e) {
      return " (cannot list it: " + e.getMessage() + ")";
    }
  }
}
