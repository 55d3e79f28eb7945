package org.medssl.io.dataset;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.IntStream;
import org.medssl.io.dataset.DatasetSpec.Case;

/**
 * nnU-Net v2's file naming: channel {@code k} of case {@code id} is {@code {id}_{kkkk}{ending}}
 * (e.g. {@code prostate_03_0001.nii.gz} for ADC beside T2 in {@code _0000}), each channel a 3D file.
 */
public final class NnUNetChannels {

  private NnUNetChannels() {}

  /** "_0001" for channel 1. */
  static String suffix(int channel) {
    return String.format(Locale.ROOT, "_%04d", channel);
  }

  /** The case id of a channel-0 file named {@code {id}_0000{ending}}, or null for a file not named so. */
  static String caseId(Path file, String ending) {
    String name = file.getFileName().toString();
    String first = suffix(0) + ending;
    return name.endsWith(first) ? name.substring(0, name.length() - first.length()) : null;
  }

  /**
   * The files of channels 0..count-1 of the case whose channel-0 file is {@code file} (named
   * {@code {id}_0000.nii[.gz]}); empty for a file not named so. The files need not exist.
   */
  public static Optional<List<Path>> channelFiles(Path file, int count) {
    for (String ending : List.of(".nii.gz", ".nii")) {
      String id = caseId(file, ending);
      if (id != null) {
        return Optional.of(IntStream.range(0, count).mapToObj(k -> file.resolveSibling(id + suffix(k) + ending))
            .toList());
      }
    }
    return Optional.empty();
  }

  /** The file of channel {@code channel} of a case whose image is one of its channel files. */
  static Path file(Case c, int channel) {
    String name = c.image().getFileName().toString();
    String ending = name.substring(c.id().length() + suffix(0).length());
    return c.image().resolveSibling(c.id() + suffix(channel) + ending);
  }
}
