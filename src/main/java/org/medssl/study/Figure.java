package org.medssl.study;

/**
 * A figure the study wrote: its PNG file name (in the study directory), a title and a caption
 * saying how to read it.
 */
public record Figure(String file, String title, String caption) {}
