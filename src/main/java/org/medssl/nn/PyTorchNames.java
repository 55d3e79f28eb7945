package org.medssl.nn;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Weight names between medssl and PyTorch. Exported files name a weight as the generated
 * {@code model.py} module does: ours with {@code .w}/{@code .b} spelled {@code .weight}/{@code .bias}
 * ({@code encoder.stage0.conv1.weight}). Imported files may use those names, or torchvision's
 * ResNet names, mapped onto our ResNet encoders: {@code conv1}/{@code bn1} onto the stem
 * ({@code encoder.stage0}), {@code layerK.J.convI}/{@code bnI} onto {@code encoder.stageK.blockJ},
 * {@code downsample.0/1} onto the block's shortcut, and the classifier {@code fc} dropped. Prefixes
 * that wrappers add ({@code module.} from DistributedDataParallel, {@code _orig_mod.} from
 * torch.compile) are removed first.
 */
public final class PyTorchNames {
  private static final List<String> WRAPPER_PREFIXES = List.of("module.", "_orig_mod.");
  private static final String NORM_PARAM = "(weight|bias|running_mean|running_var)";
  private static final Pattern STEM_CONV = Pattern.compile("conv1\\.weight");
  private static final Pattern STEM_NORM = Pattern.compile("bn1\\." + NORM_PARAM);
  private static final Pattern BLOCK_CONV = Pattern.compile("layer(\\d)\\.(\\d+)\\.conv(\\d)\\.weight");
  private static final Pattern BLOCK_NORM = Pattern.compile("layer(\\d)\\.(\\d+)\\.bn(\\d)\\." + NORM_PARAM);
  private static final Pattern SHORTCUT_CONV = Pattern.compile("layer(\\d)\\.(\\d+)\\.downsample\\.0\\.weight");
  private static final Pattern SHORTCUT_NORM = Pattern.compile("layer(\\d)\\.(\\d+)\\.downsample\\.1\\." + NORM_PARAM);
  private static final Pattern OURS = Pattern.compile("(encoder|decoder|head|pretext)(\\..+)?");

  private PyTorchNames() {}

  /** Our weight's name in an exported file and the generated module. */
  public static String exported(String ours) {
    if (ours.endsWith(".w") || ours.equals("w")) {
      return ours.substring(0, ours.length() - 1) + "weight";
    }
    if (ours.endsWith(".b") || ours.equals("b")) {
      return ours.substring(0, ours.length() - 1) + "bias";
    }
    return ours;
  }

  /**
   * The medssl name of a weight an imported file names {@code external}; empty for weights with no
   * counterpart (torchvision's classifier {@code fc}, names of other architectures).
   */
  public static Optional<String> internal(String external) {
    String name = unwrapped(external);
    if (OURS.matcher(name).matches()) {
      return Optional.of(ours(name));
    }
    return torchvisionResNet(name);
  }

  private static String unwrapped(String name) {
    boolean changed = true;
    while (changed) {
      changed = false;
      for (String prefix : WRAPPER_PREFIXES) {
        if (name.startsWith(prefix)) {
          name = name.substring(prefix.length());
          changed = true;
        }
      }
    }
    return name;
  }

  private static String ours(String exported) {
    if (exported.endsWith(".weight")) {
      return exported.substring(0, exported.length() - "weight".length()) + "w";
    }
    if (exported.endsWith(".bias")) {
      return exported.substring(0, exported.length() - "bias".length()) + "b";
    }
    return exported;
  }

  private static Optional<String> torchvisionResNet(String name) {
    Matcher m;
    if (STEM_CONV.matcher(name).matches()) {
      return Optional.of("encoder.stage0.conv.w");
    }
    if ((m = STEM_NORM.matcher(name)).matches()) {
      return Optional.of("encoder.stage0.norm." + param(m.group(1)));
    }
    if ((m = BLOCK_CONV.matcher(name)).matches()) {
      return Optional.of(block(m) + ".conv" + m.group(3) + ".w");
    }
    if ((m = BLOCK_NORM.matcher(name)).matches()) {
      return Optional.of(block(m) + ".norm" + m.group(3) + "." + param(m.group(4)));
    }
    if ((m = SHORTCUT_CONV.matcher(name)).matches()) {
      return Optional.of(block(m) + ".shortcut.conv.w");
    }
    if ((m = SHORTCUT_NORM.matcher(name)).matches()) {
      return Optional.of(block(m) + ".shortcut.norm." + param(m.group(3)));
    }
    return Optional.empty();
  }

  private static String block(Matcher m) {
    return "encoder.stage" + m.group(1) + ".block" + m.group(2);
  }

  private static String param(String torch) {
    return switch (torch) {
      case "weight" -> "w";
      case "bias" -> "b";
      default -> torch;
    };
  }
}
