package org.medssl.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A small CSV table (header + rows), written atomically; numbers with fixed precision, NaN empty. */
public final class CsvTable {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  public CsvTable(List<String> header) {
    this.header = List.copyOf(header);
  }

  /** Adds a row; doubles are written with 6 decimals, NaN as an empty cell (missing). */
  public CsvTable add(Object... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException("row has " + cells.length + " cells, header " + header.size());
    }
    List<String> row = new ArrayList<>();
    for (Object c : cells) {
      row.add(format(c));
    }
    rows.add(row);
    return this;
  }

  public int size() {
    return rows.size();
  }

  public void write(Path path) {
    StringBuilder sb = new StringBuilder(String.join(",", header)).append('\n');
    for (List<String> row : rows) {
      sb.append(String.join(",", row)).append('\n');
    }
    AtomicFiles.writeString(path, sb.toString());
  }

  private static String format(Object c) {
    if (c instanceof Double d) {
      return d.isNaN() ? "" : String.format(Locale.ROOT, "%.6f", d);
    }
    if (c instanceof Float f) {
      return format(f.doubleValue());
    }
    String s = String.valueOf(c);
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
