package org.medssl.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Text files shipped inside the jar (the PyTorch module template, the vendored viewer). */
public final class Resources {
  private Resources() {}

  /** The UTF-8 text of resource {@code name} beside {@code owner}; a missing one is a broken build. */
  public static String text(Class<?> owner, String name) {
    try (InputStream in = owner.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + name + " from the jar", e);
    }
  }
}
