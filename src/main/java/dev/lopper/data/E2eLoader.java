package dev.lopper.data;

import dev.lopper.LopperException;
import dev.lopper.io.Utf8Files;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * E2E NLG Challenge csv files: a header row naming the columns {@code mr} and {@code ref}, then one
 * (meaning representation, reference) pair per row; an MR has several rows. Training examples are
 * the rows in file order; evaluation examples are the distinct MRs in order of first appearance,
 * each with all its references in file order (id = file:line of its first row, group = the MR).
 *
 * <p>Default templates: prompt {@value #PROMPT}, target {@value #TARGET}; fields {@code mr, ref}.
 */
public final class E2eLoader {
  public static final String PROMPT = "Table: {mr}\nDescription:";
  public static final String TARGET = " {ref}";

  private E2eLoader() {}

  public static List<TaskExample> load(Path file, TaskOptions options) {
    ExampleTemplates templates =
        new ExampleTemplates(options, PROMPT, TARGET, "ref", Set.of("mr", "ref"));
    Map<String, Source> sources = new LinkedHashMap<>();
    List<TaskExample> out = new ArrayList<>();
    CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
    try (CSVParser csv =
        CSVParser.builder()
            .setReader(new StringReader(Utf8Files.read(file)))
            .setFormat(format)
            .get()) {
      int mrCol = column(csv, file, "mr");
      int refCol = column(csv, file, "ref");
      int columns = csv.getHeaderNames().size();
      Iterator<CSVRecord> it = csv.iterator();
      while (true) {
        long line = csv.getCurrentLineNumber() + 1;
        CSVRecord r;
        try {
          if (!it.hasNext()) {
            break;
          }
          r = it.next();
        } catch (UncheckedIOException | IllegalStateException e) {
          throw new LopperException(file + ":" + line + ": malformed CSV: " + rootMessage(e), e);
        }
        String where = file + ":" + line;
        if (r.size() != columns) {
          throw new LopperException(
              where
                  + ": expected "
                  + columns
                  + " columns "
                  + csv.getHeaderNames()
                  + ", found "
                  + r.size());
        }
        String mr = r.get(mrCol);
        String ref = r.get(refCol);
        if (options.mode() == TaskOptions.Mode.TRAIN) {
          templates.add(out, where, mr, Map.of("mr", mr), List.of(ref), where);
        } else {
          sources.computeIfAbsent(mr, k -> new Source(where)).refs.add(ref);
        }
      }
    } catch (IOException e) {
      throw new LopperException(file + ": cannot read: " + e.getMessage(), e);
    }
    for (Map.Entry<String, Source> e : sources.entrySet()) {
      Source s = e.getValue();
      templates.add(out, s.where, e.getKey(), Map.of("mr", e.getKey()), s.refs, s.where);
    }
    if (out.isEmpty()) {
      throw new LopperException(
          file + ": no examples found (expected csv rows with columns mr,ref)");
    }
    return out;
  }

  private static int column(CSVParser csv, Path file, String name) {
    List<String> names = csv.getHeaderNames();
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).strip().equalsIgnoreCase(name)) {
        return i;
      }
    }
    throw new LopperException(
        file + ":1: missing column \"" + name + "\" in the header, found " + names);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return JsonRecords.oneLine(t.getMessage());
  }

  private static final class Source {
    final String where;
    final List<String> refs = new ArrayList<>();

    Source(String where) {
      this.where = where;
    }
  }
}
