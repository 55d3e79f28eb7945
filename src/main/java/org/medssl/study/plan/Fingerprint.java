package org.medssl.study.plan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.medssl.MedsslException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A short, stable hash of a settings description: equal settings, equal fingerprint. */
public final class Fingerprint {
  private Fingerprint() {}

  public static String of(String description) {
    return HexFormat.of().formatHex(sha256().digest(description.getBytes(StandardCharsets.UTF_8)), 0, 8);
  }

  /** The same for a file's content (an init's weights): a changed file is another init. */
  public static String ofFile(Path file) {
    MessageDigest digest = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new MedsslException(file + ": cannot read (" + e.getMessage() + ")");
    }
    return HexFormat.of().formatHex(digest.digest(), 0, 8);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
