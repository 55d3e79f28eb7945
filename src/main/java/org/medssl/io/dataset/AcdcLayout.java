package org.medssl.io.dataset;

import org.medssl.io.nifti.NiftiReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.medssl.MedsslException;
import org.medssl.io.dataset.DatasetSpec.Case;
import org.medssl.io.dataset.DatasetSpec.Layout;

/**
 * The ACDC cardiac cine-MRI layout: one folder per patient, {@code patientNNN/} directly in the
 * dataset directory or under {@code training/} and {@code testing/}, each holding
 *
 * <ul>
 *   <li>{@code patientNNN_frameYY.nii.gz} with {@code patientNNN_frameYY_gt.nii.gz}: the labeled
 *       end-diastolic and end-systolic frames (0 background, 1 RV, 2 myocardium, 3 LV); YY counts
 *       the cine's frames from 1;
 *   <li>{@code patientNNN_4d.nii.gz}: the whole cine, frames along the 4th dimension.
 * </ul>
 *
 * Labeled frames of {@code training/} (or top-level) patients are training cases, those of {@code
 * testing/} patients test cases; a frame file without {@code _gt} is an unlabeled case on the same
 * side. The cine frames of training patients that have no frame file of their own form the
 * unlabeled pretraining pool ({@code patientNNN_frameYY} read from the 4D file); test patients' cines
 * are never read. Every case's subject is its patient, so splits keep a patient's frames together.
 * {@code Info.cfg} and other files are ignored.
 */
final class AcdcLayout {
  static final List<String> LABELS = List.of("background", "RV", "myocardium", "LV");
  static final String CHANNEL = "MRI";
  private static final Pattern PATIENT = Pattern.compile("patient\\d+");
  private static final Pattern FILE = Pattern.compile("(patient\\d+)_(?:frame(\\d+)(_gt)?|(4d))\\.nii(?:\\.gz)?");

  private AcdcLayout() {}

  static boolean matches(Path dir) {
    return !patients(dir).isEmpty() || !patients(dir.resolve("training")).isEmpty()
        || !patients(dir.resolve("testing")).isEmpty();
  }

  static DatasetSpec read(Path dir) {
    List<Case> training = new ArrayList<>();
    List<Case> test = new ArrayList<>();
    List<Case> unlabeled = new ArrayList<>();
    for (Path folder : concat(patients(dir), patients(dir.resolve("training")))) {
      Patient p = patient(folder);
      training.addAll(p.labeled());
      unlabeled.addAll(p.unlabeledFrames());
      unlabeled.addAll(p.cineFrames());
    }
    for (Path folder : patients(dir.resolve("testing"))) {
      Patient p = patient(folder);
      test.addAll(p.labeled());
      test.addAll(p.unlabeledFrames());
    }
    requireUniqueSubjects(dir);
    Path abs = dir.toAbsolutePath().normalize();
    String name = abs.getFileName() == null ? "ACDC" : abs.getFileName().toString();
    return new DatasetSpec(dir, name, Layout.ACDC.toString(), List.of(CHANNEL), LABELS, training, test, unlabeled,
        0, Layout.ACDC);
  }

  /** One patient's cases: labeled frames, frame files without labels, and the cine's other frames. */
  private record Patient(List<Case> labeled, List<Case> unlabeledFrames, List<Case> cineFrames) {}

  private static Patient patient(Path folder) {
    String id = folder.getFileName().toString();
    Map<Integer, Path> frames = new TreeMap<>();
    Map<Integer, Path> labels = new TreeMap<>();
    Path cine = null;
    for (Path f : list(folder)) {
      Matcher m = FILE.matcher(f.getFileName().toString());
      if (!m.matches() || !Files.isRegularFile(f)) {
        continue;
      }
      if (!m.group(1).equals(id)) {
        throw new MedsslException(f + ": belongs to " + m.group(1) + " but lies in the folder of " + id);
      }
      if (m.group(4) != null) {
        cine = cine == null ? f : fail(f, "a second cine beside " + cine.getFileName());
        continue;
      }
      int frame = Integer.parseInt(m.group(2));
      if (frame < 1) {
        fail(f, "frame numbers count from 1 in ACDC");
      }
      Map<Integer, Path> target = m.group(3) == null ? frames : labels;
      Path before = target.put(frame, f);
      if (before != null) {
        fail(f, "frame " + frame + " is also in " + before.getFileName());
      }
    }
    for (Map.Entry<Integer, Path> l : labels.entrySet()) {
      if (!frames.containsKey(l.getKey())) {
        fail(l.getValue(), "no image " + frameId(id, l.getKey()) + ".nii.gz beside this label");
      }
    }
    if (frames.isEmpty() && cine == null) {
      throw new MedsslException(folder + ": no " + id + "_frameYY.nii.gz or " + id
          + "_4d.nii.gz (an ACDC patient folder)");
    }
    List<Case> labeled = new ArrayList<>();
    List<Case> bare = new ArrayList<>();
    frames.forEach((n, f) -> (labels.containsKey(n) ? labeled : bare).add(
        new Case(frameId(id, n), f, labels.get(n), id, Case.WHOLE_FILE)));
    List<Case> cineFrames = new ArrayList<>();
    if (cine != null) {
      long count = NiftiReader.readHeader(cine).frames();
      for (int t = 0; t < count; t++) {
        if (!frames.containsKey(t + 1)) {
          cineFrames.add(new Case(frameId(id, t + 1), cine, null, id, t));
        }
      }
    }
    return new Patient(labeled, bare, cineFrames);
  }

  /** ACDC writes two digits: patient001_frame01. */
  private static String frameId(String patient, int frame) {
    return String.format("%s_frame%02d", patient, frame);
  }

  private static List<Path> patients(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    return list(folder).stream().filter(p -> PATIENT.matcher(p.getFileName().toString()).matches()
        && Files.isDirectory(p)).toList();
  }

  /** A patient both at the top and under training/ or testing/ would mix its frames into two places. */
  private static void requireUniqueSubjects(Path dir) {
    Map<String, Path> seen = new TreeMap<>();
    for (Path p : concat(concat(patients(dir), patients(dir.resolve("training"))),
        patients(dir.resolve("testing")))) {
      Path before = seen.put(p.getFileName().toString(), p);
      if (before != null) {
        throw new MedsslException(p + ": patient " + p.getFileName() + " also has the folder " + before);
      }
    }
  }

  private static List<Path> concat(List<Path> a, List<Path> b) {
    return Stream.concat(a.stream(), b.stream()).toList();
  }

  private static List<Path> list(Path folder) {
    try (Stream<Path> s = Files.list(folder)) {
      return s.sorted().toList();
    } catch (IOException e) {
      throw new MedsslException(folder + ": cannot list: " + e.getMessage(), e);
    }
  }

  private static <T> T fail(Path file, String problem) {
    throw new MedsslException(file + ": " + problem);
  }
}
