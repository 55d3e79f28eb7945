package org.medssl;

/**
 * An error the user can cause and fix: a bad file, a bad flag, a shape mismatch.
 *
 * <p>The message is one line that names the file (or option) and the problem; the CLI prints it
 * and exits with code 2. Programming errors stay ordinary runtime exceptions.
 */
public class MedsslException extends RuntimeException {
  public MedsslException(String message) {
    super(message);
  }

  public MedsslException(String message, Throwable cause) {
    super(message, cause);
  }
}
