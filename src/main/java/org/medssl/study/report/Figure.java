package org.medssl.study.report;

/**
 * A figure the study wrote: its PNG file name (in the study directory), a title and a caption
 * saying how to read it, and optionally an interactive viewer page of the same data (else null).
 */
public record Figure(String file, String title, String caption, String viewer) {
  public Figure(String file, String title, String caption) {
    this(file, title, caption, null);
  }
}
