package org.medssl.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.medssl.MedsslException;
import org.medssl.image.MultiChannelVolume;
import org.medssl.image.Volume;
import org.medssl.io.dataset.DatasetLayouts;
import org.medssl.io.dataset.DatasetSpec;
import org.medssl.io.nifti.NiftiImage;
import org.medssl.io.nifti.NiftiReader;
import org.medssl.io.dataset.NnUNetChannels;

/**
 * Which input channel of a dataset's images a model was trained on (e.g. ADC of Prostate's T2 +
 * ADC), recorded in the model file's provenance under {@code "input"} so {@code evaluate} and
 * {@code predict} read the same channel without being told again.
 *
 * @param index the channel's index along the images' 4th dimension
 * @param channels all channel names of the training data (one for single-channel data)
 */
public record InputChannel(int index, List<String> channels) {
  static final String KEY = "input";
  /**
   * The {@code --channel} value that asks for every channel of the dataset as network input
   * ({@code --channels} already sets the network's widths).
   */
  public static final String ALL = "all";

  public InputChannel {
    channels = List.copyOf(channels);
    if (channels.isEmpty() || index < 0 || index >= channels.size()) {
      throw new IllegalArgumentException("channel " + index + " of " + channels);
    }
  }

  public String name() {
    return channels.get(index);
  }

  /** True when the training images had several channels, so 4D inputs hold channels. */
  public boolean multiChannel() {
    return channels.size() > 1;
  }

  /** The channel a dataset reads. */
  public static InputChannel of(DatasetSpec spec) {
    return new InputChannel(spec.channel(), spec.channelNames());
  }

  /** A log line naming the channel read, for multi-channel datasets only. */
  public static Optional<String> describe(DatasetSpec spec) {
    if (!spec.multiChannel()) {
      return Optional.empty();
    }
    return Optional.of("reading channel " + spec.channel() + " (" + spec.channelName() + ") of the channels "
        + spec.channelList() + "; --channel chooses another");
  }

  /** True for {@code --channel all}. */
  public static boolean isAll(String channel) {
    return channel != null && ALL.equalsIgnoreCase(channel.strip());
  }

  /** Pretraining reads one channel: the pretext methods take single-channel images. */
  public static void requireOne(String channel) {
    if (isAll(channel)) {
      throw new MedsslException("--channel all: pretraining reads one channel (its methods take single-channel"
          + " images); pretrain on one (e.g. --channel 0), then finetune --channel all spreads the pretrained first"
          + " convolution over every channel");
    }
  }

  /** The log line of a run that feeds every channel to the network. */
  public static String describeAll(DatasetSpec spec) {
    return spec.multiChannel() ? "reading all " + spec.channelNames().size() + " channels as network input: "
        + spec.channelList() : "--channel all: the dataset has one channel (" + spec.channelName() + ")";
  }

  /**
   * Writes the channel a dataset reads into a model file's provenance; with {@code all}, every
   * channel is the input (the network's input channels say so too).
   */
  public static void record(DatasetSpec spec, boolean all, ObjectNode provenance) {
    InputChannel c = of(spec);
    ObjectNode node = provenance.putObject(KEY);
    node.put("channel", c.index());
    node.put("channelName", c.name());
    node.put("all", all);
    ArrayNode names = node.putArray("channels");
    c.channels().forEach(names::add);
  }

  /**
   * A dataset opened to evaluate a model: with all channels for a model reading several (trained
   * with {@code --channel all}; {@code asked} must then be null), else reading the channel asked
   * for or the one the model was trained on. Logs which channels are read.
   */
  public static DatasetSpec datasetFor(Path dir, String asked, Optional<InputChannel> trained, int inChannels,
      Consumer<String> log) {
    if (inChannels == 1) {
      DatasetSpec spec = DatasetLayouts.open(dir, choiceFor(asked, trained, log));
      describe(spec).ifPresent(log);
      return spec;
    }
    requireNoChoice(asked, inChannels);
    DatasetSpec spec = DatasetLayouts.open(dir, null);
    log.accept(describeAll(spec));
    return spec;
  }

  private static void requireNoChoice(String asked, int inChannels) {
    if (asked != null && !isAll(asked)) {
      throw new MedsslException("--channel " + asked + ": the model reads all " + inChannels + " channels of a scan"
          + " (trained with --channel all); leave --channel out");
    }
  }

  /**
   * The scan's channels as a model reads them: all of them for a model with {@code inChannels} >
   * 1 (trained with {@code --channel all}; {@code asked} must then be null), else the one
   * {@link #select} chooses.
   */
  public static MultiChannelVolume forModel(NiftiImage file, Path path, String asked, Optional<InputChannel> trained,
      int inChannels, Consumer<String> log) {
    if (inChannels == 1) {
      return MultiChannelVolume.of(select(file, path, asked, trained, log));
    }
    requireNoChoice(asked, inChannels);
    return selectAll(file, path, inChannels, log);
  }

  /**
   * The channels of one input file for a model that reads {@code count} channels: the volumes of
   * a 4D file with that many (MSD), or an nnU-Net v2 channel-0 file ({@code case_0000.nii.gz})
   * with its {@code _0001}... siblings beside it.
   */
  public static MultiChannelVolume selectAll(NiftiImage file, Path path, int count, Consumer<String> log) {
    if (file.frames() == count) {
      List<Volume> volumes = new ArrayList<>();
      for (int k = 0; k < count; k++) {
        volumes.add(file.volume(k));
      }
      return new MultiChannelVolume(volumes);
    }
    if (file.frames() > 1) {
      throw new MedsslException(path + ": 4D image " + file.header().shapeString() + " has " + file.frames()
          + " volumes but the model reads " + count + " channels");
    }
    List<Path> files = NnUNetChannels.channelFiles(path, count).orElseThrow(() -> new MedsslException(path
        + ": 3D image, but the model reads " + count + " channels: give a 4D file with " + count + " volumes, or an"
        + " nnU-Net v2 channel-0 file (name_0000.nii.gz) with its _0001... files beside it"));
    List<Volume> volumes = new ArrayList<>(List.of(file.volume()));
    for (Path f : files.subList(1, count)) {
      if (!java.nio.file.Files.isRegularFile(f)) {
        throw new MedsslException(f + ": missing (channel " + volumes.size() + " of " + path + "; the model reads "
            + count + " channels)");
      }
      volumes.add(NiftiReader.read(f).volume());
    }
    log.accept("reading channels " + files.get(0).getFileName() + " .. " + files.get(count - 1).getFileName());
    try {
      return new MultiChannelVolume(volumes);
    } catch (IllegalArgumentException e) {
      throw new MedsslException(path + ": " + e.getMessage());
    }
  }

  /** The channel recorded in a model's provenance; empty for files written before channels were recorded. */
  public static Optional<InputChannel> recorded(ObjectNode provenance) {
    JsonNode node = provenance.path(KEY);
    if (!node.isObject() || !node.path("channels").isArray() || !node.path("channel").canConvertToInt()) {
      return Optional.empty();
    }
    List<String> names = new ArrayList<>();
    node.path("channels").forEach(n -> names.add(n.asText()));
    int index = node.path("channel").asInt();
    if (names.isEmpty() || index < 0 || index >= names.size()) {
      return Optional.empty();
    }
    return Optional.of(new InputChannel(index, names));
  }

  /**
   * The channel to read from a dataset when evaluating a model: the one asked for, else the one the
   * model was trained on (as an index, so a dataset naming its channels differently still works).
   */
  public static String choiceFor(String asked, Optional<InputChannel> trained, Consumer<String> log) {
    if (asked != null) {
      trained.filter(InputChannel::multiChannel).filter(t -> !t.matches(asked)).ifPresent(t -> log.accept(
          "note: the model was trained on channel " + t.index() + " (" + t.name() + "); reading --channel " + asked));
      return asked;
    }
    return trained.filter(InputChannel::multiChannel).map(t -> Integer.toString(t.index())).orElse(null);
  }

  /**
   * The volume of an input file to segment: the channel asked for (by index, or by a name the
   * model's training data used), else the model's channel when the file is 4D and the model was
   * trained on multi-channel data, else the file as one 3D volume.
   */
  public static Volume select(NiftiImage file, Path path, String asked, Optional<InputChannel> trained,
      Consumer<String> log) {
    if (asked != null) {
      int index = index(asked, path, trained);
      if (file.frames() == 1 && index > 0) { // an nnU-Net v2 channel file is 3D: the file is the channel
        log.accept("note: " + path + " is 3D; taking it as channel " + index + " (--channel " + asked + ")");
        return file.volume();
      }
      return file.volume(index);
    }
    if (trained.isPresent() && trained.get().multiChannel()) {
      InputChannel t = trained.get();
      if (file.frames() > 1) {
        log.accept("reading channel " + t.index() + " (" + t.name() + ") of " + path + ", as the model was trained");
        return file.volume(t.index());
      }
      log.accept("note: " + path + " is 3D; taking it as channel " + t.index() + " (" + t.name()
          + "), the one the model was trained on");
      return file.volume();
    }
    if (file.frames() > 1) {
      throw new MedsslException(path + ": 4D image " + file.header().shapeString() + " but the model was trained on"
          + " single-channel 3D images; choose a volume with --channel");
    }
    return file.volume();
  }

  private boolean matches(String asked) {
    String a = asked.strip();
    return a.equals(Integer.toString(index)) || a.equalsIgnoreCase(name());
  }

  private static int index(String asked, Path path, Optional<InputChannel> trained) {
    String a = asked.strip();
    if (trained.isPresent()) {
      List<String> names = trained.get().channels();
      for (int i = 0; i < names.size(); i++) {
        if (names.get(i).equalsIgnoreCase(a)) {
          return i;
        }
      }
    }
    try {
      int i = Integer.parseInt(a);
      if (i >= 0) {
        return i;
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw new MedsslException(path + ": --channel " + a + " is neither a volume index nor a channel name the model"
        + " knows" + trained.map(t -> " (" + String.join(", ", t.channels()) + ")").orElse(""));
  }
}
