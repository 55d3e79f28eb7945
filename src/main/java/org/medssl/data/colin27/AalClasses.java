package org.medssl.data.colin27;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.medssl.MedsslException;

/**
 * Merges the 116 regions of the AAL atlas into three coarse classes with clear boundaries on a T1
 * scan, by region name (from the atlas's own table, {@code aal.nii.txt}):
 *
 * <ol>
 *   <li><b>cerebral cortex</b>: every cortical region of the cerebrum, including the hippocampal
 *       formation (hippocampus, parahippocampal gyrus);
 *   <li><b>deep grey nuclei</b>: caudate, putamen, pallidum, thalamus and amygdala;
 *   <li><b>cerebellum</b>: cerebellar hemispheres and vermis.
 * </ol>
 */
public final class AalClasses {
  public static final List<String> LABEL_NAMES = List.of("background", "cerebral_cortex", "deep_grey_nuclei",
      "cerebellum");
  private static final List<String> DEEP_GREY = List.of("Caudate", "Putamen", "Pallidum", "Thalamus", "Amygdala");

  private AalClasses() {}

  /** Class of each AAL region value, read from the table ("index name code" per line). */
  public static Map<Integer, Integer> read(Path table) {
    List<String> lines;
    try {
      lines = Files.readAllLines(table);
    } catch (IOException e) {
      throw new MedsslException(table + ": cannot read the AAL region table: " + e.getMessage(), e);
    }
    Map<Integer, Integer> classes = new HashMap<>();
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 2 || f[0].isEmpty()) {
        continue;
      }
      try {
        classes.put(Integer.parseInt(f[0]), classOf(f[1]));
      } catch (NumberFormatException e) {
        throw new MedsslException(table + ": not an AAL region table (line '" + line + "')");
      }
    }
    if (classes.size() < 90) {
      throw new MedsslException(table + ": expected the 116 AAL regions, found " + classes.size());
    }
    return classes;
  }

  static int classOf(String region) {
    if (region.startsWith("Cerebelum") || region.startsWith("Vermis")) {
      return 3;
    }
    return DEEP_GREY.stream().anyMatch(region::startsWith) ? 2 : 1;
  }
}
