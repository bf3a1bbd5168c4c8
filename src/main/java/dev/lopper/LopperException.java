package dev.lopper;

/**
 * A problem with the user's input (a file, a field, an option): the message says what was expected
 * and what was found. The CLI prints it on one line and exits with status 2.
 */
public class LopperException extends RuntimeException {
  public LopperException(String message) {
    super(message);
  }

  public LopperException(String message, Throwable cause) {
    super(message, cause);
  }
}
