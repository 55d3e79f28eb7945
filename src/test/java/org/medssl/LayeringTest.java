package org.medssl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Data flows one way (docs/ARCHITECTURE.md): every package sits on a floor and uses only packages
 * on lower floors, never one beside it or above it. A new package must be given its floor here.
 */
class LayeringTest {
  /** Floor of every package under org.medssl ("" is the root: MedsslException, Version). */
  static final Map<String, Integer> FLOORS = Map.ofEntries(
      Map.entry("", 0),
      Map.entry("image", 1), Map.entry("tensor", 1),
      Map.entry("io", 2),
      Map.entry("io.nifti", 3), Map.entry("io.model", 3), Map.entry("metrics", 3), Map.entry("augment", 3),
      Map.entry("io.dataset", 4), Map.entry("io.pytorch", 4), Map.entry("viewer", 4),
      Map.entry("data", 5),
      Map.entry("data.phantom", 6), Map.entry("data.colin27", 6), Map.entry("nn", 6),
      Map.entry("train", 7),
      Map.entry("ssl", 8), Map.entry("seg", 8),
      Map.entry("bench", 9), Map.entry("study.config", 9),
      Map.entry("study.plan", 10),
      Map.entry("study.store", 11),
      Map.entry("study.report", 12),
      Map.entry("study", 13),
      Map.entry("cli", 14));

  private static final Path ROOT = Path.of("src/main/java/org/medssl");
  private static final Pattern USE = Pattern.compile("org\\.medssl\\.((?:[a-z0-9]+\\.)*)[A-Z]");

  @Test
  void noPackageUsesOneOnItsOwnFloorOrAbove() throws IOException {
    List<String> offenders = new ArrayList<>();
    Set<String> unplaced = new TreeSet<>();
    try (Stream<Path> files = Files.walk(ROOT)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String own = packageOf(f);
        Integer floor = FLOORS.get(own);
        if (floor == null) {
          unplaced.add(own);
          continue;
        }
        for (String used : usedPackages(f)) {
          Integer other = FLOORS.get(used);
          if (other == null) {
            unplaced.add(used);
          } else if (!used.equals(own) && other >= floor) {
            offenders.add(ROOT.relativize(f) + " (" + own + ", floor " + floor + ") uses " + used + " (floor " + other
                + ")");
          }
        }
      }
    }
    assertEquals(Set.of(), unplaced, "packages without a floor in LayeringTest.FLOORS");
    assertEquals(List.of(), offenders);
  }

  private static String packageOf(Path file) {
    Path dir = ROOT.relativize(file.getParent());
    return dir.toString().replace(java.io.File.separatorChar, '.');
  }

  private static Set<String> usedPackages(Path file) {
    try {
      Set<String> out = new TreeSet<>();
      Matcher m = USE.matcher(Files.readString(file));
      while (m.find()) {
        String pkg = m.group(1);
        out.add(pkg.isEmpty() ? "" : pkg.substring(0, pkg.length() - 1));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
