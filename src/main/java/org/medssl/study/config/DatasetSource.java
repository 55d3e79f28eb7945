package org.medssl.study.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.medssl.MedsslException;
import org.medssl.data.Preprocessing;
import org.medssl.data.PreprocessingOptions;
import org.medssl.data.colin27.Colin27Source;
import org.medssl.data.phantom.PhantomConfig;
import org.medssl.data.phantom.PhantomDataset;
import org.medssl.io.dataset.DatasetLayouts;
import org.medssl.io.dataset.DatasetSpec;

/**
 * Where a study's data comes from (an existing dataset directory, phantoms generated inside the
 * study, or a real dataset fetched into it) and how its scans are preprocessed.
 */
public sealed interface DatasetSource {

  /** The dataset directory, generating it first if this source makes one. */
  Path prepare(Path studyDir, Consumer<String> log);

  /** A stable description; part of every fingerprint, so changing the data invalidates old results. */
  String describe();

  /** {@code dataset.spacing} / {@code dataset.ctWindow}; AUTO unless given. */
  PreprocessingOptions preprocessing();

  /** The description with the preprocessing when it is not the default (so older fingerprints stay valid). */
  private static String withPreprocessing(String description, PreprocessingOptions p) {
    return p.equals(PreprocessingOptions.AUTO) ? description : description + "+preprocessing(" + p + ")";
  }

  /** The input channel of multi-channel images, by name or index; null for channel 0. */
  default String channel() {
    return null;
  }

  /** Reads the prepared dataset with the chosen channel. */
  default DatasetSpec open(Path dir) {
    return DatasetLayouts.open(dir, channel());
  }

  /**
   * A dataset the user brings, in any layout {@link DatasetLayouts} recognises.
   *
   * @param channel the input channel of multi-channel images, by name or index; null for channel 0
   */
  record Directory(Path path, String channel, PreprocessingOptions preprocessing) implements DatasetSource {
    public Directory {
      path = path.toAbsolutePath().normalize();
    }

    public Directory(Path path) {
      this(path, null, PreprocessingOptions.AUTO);
    }

    @Override
    public Path prepare(Path studyDir, Consumer<String> log) {
      DatasetLayouts.open(path, channel); // fails early, naming the directory and what is missing
      return path;
    }

    @Override
    public String describe() {
      return withPreprocessing("dir(" + path + (channel == null ? "" : ",channel=" + channel) + ")", preprocessing);
    }
  }

  /**
   * The built-in phantoms, generated into {@code <study>/data}; deterministic, so regenerating is safe.
   *
   * @param version the generator version (see {@code PhantomConfig}); 1 unless given
   */
  record Phantom(int subjects, int unlabeled, long seed, int version, PreprocessingOptions preprocessing)
      implements DatasetSource {
    public Phantom(int subjects, int unlabeled, long seed) {
      this(subjects, unlabeled, seed, 1, PreprocessingOptions.AUTO);
    }

    public Phantom(int subjects, int unlabeled, long seed, PreprocessingOptions preprocessing) {
      this(subjects, unlabeled, seed, 1, preprocessing);
    }

    public Phantom {
      if (subjects < 3 || unlabeled < 0) {
        throw new MedsslException("dataset.phantom: needs subjects >= 3 and unlabeled >= 0, got subjects "
            + subjects + ", unlabeled " + unlabeled);
      }
      if (version < 1 || version > PhantomConfig.LATEST_VERSION) {
        throw new MedsslException("dataset.phantom: version must be 1 or " + PhantomConfig.LATEST_VERSION
            + ", got " + version);
      }
    }

    @Override
    public Path prepare(Path studyDir, Consumer<String> log) {
      Path dir = studyDir.resolve("data");
      // dataset.json is written last (atomically), so its presence means the generation finished.
      if (!Files.isRegularFile(dir.resolve(DatasetSpec.FILE))) {
        log.accept(String.format("generating phantom dataset (version %d, %d labeled + %d unlabeled subjects,"
            + " seed %d) in %s", version, subjects, unlabeled, seed, dir));
        PhantomDataset.write(dir, subjects, unlabeled, seed, version);
      }
      checkCounts(dir);
      return dir;
    }

    /** A phantom left by a study with other settings must not be mistaken for this one. */
    private void checkCounts(Path dir) {
      DatasetSpec spec = DatasetLayouts.open(dir);
      if (!spec.name().equals(PhantomDataset.datasetName(version))) {
        throw new MedsslException(dir + ": holds dataset '" + spec.name() + "', but the config asks for phantom"
            + " version " + version + " ('" + PhantomDataset.datasetName(version)
            + "'); use another --out or delete that directory");
      }
      int labeled = spec.training().size() + spec.test().size();
      if (labeled != subjects || spec.unlabeled().size() != unlabeled) {
        throw new MedsslException(dir + ": holds a phantom with " + labeled + " labeled and " + spec.unlabeled().size()
            + " unlabeled subjects, but the config asks for " + subjects + " and " + unlabeled
            + "; use another --out or delete that directory");
      }
    }

    @Override
    public String describe() {
      // Version 1 keeps the description it always had, so finished cells keep their fingerprints.
      return withPreprocessing("phantom(subjects=" + subjects + ",unlabeled=" + unlabeled + ",seed=" + seed
          + (version == 1 ? "" : ",version=" + version) + ")", preprocessing);
    }
  }

  /** A real dataset built by {@code medssl data fetch} into {@code <study>/data} (only colin27 so far). */
  record Fetched(String name, PreprocessingOptions preprocessing) implements DatasetSource {
    public Fetched {
      if (!"colin27".equals(name)) {
        throw new MedsslException("dataset.fetch: unknown dataset '" + name + "' (available: colin27)");
      }
    }

    @Override
    public Path prepare(Path studyDir, Consumer<String> log) {
      Path dir = studyDir.resolve("data");
      if (!Files.isRegularFile(dir.resolve(DatasetSpec.FILE))) { // written last: its presence means complete
        Colin27Source.build(null, dir, log);
      } else if (!Preprocessing.NO_NORM_CHANNEL.equals(DatasetSpec.read(dir).modality())) {
        throw new MedsslException(dir + ": Colin27 as built by an earlier medssl (normalised per slice, validation"
            + " slab without every class); delete that directory (or use another --out) to rebuild it");
      }
      return dir;
    }

    @Override
    public String describe() {
      // Version 2: whole-volume normalisation and a validation slab with every class (new fingerprints).
      return withPreprocessing("fetch(" + name + ",version=2)", preprocessing);
    }
  }
}
