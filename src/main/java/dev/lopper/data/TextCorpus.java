package dev.lopper.data;

import dev.lopper.LopperException;
import dev.lopper.io.Utf8Files;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * A plain-text corpus cut into documents: one UTF-8 text file, a gzip of one, or a folder of such
 * files (read recursively in sorted path order, hidden files skipped, so the order never depends on
 * the file system). Line ends "\r\n" are read as "\n". The whole corpus is held in memory.
 */
public final class TextCorpus {
  private final List<Path> files;
  private final List<Document> documents;

  private TextCorpus(List<Path> files, List<Document> documents) {
    this.files = List.copyOf(files);
    this.documents = Collections.unmodifiableList(documents);
  }

  /** Reads {@code path} (file or folder) and cuts it into documents. */
  public static TextCorpus read(Path path, CorpusOptions options) {
    List<Path> files = listFiles(path);
    List<Document> docs = new ArrayList<>();
    DocumentMode mode = options.documents();
    for (Path f : files) {
      String text = Utf8Files.read(f).replace("\r\n", "\n");
      if (mode == DocumentMode.AUTO) {
        mode = looksLikeWikiText(text) ? DocumentMode.WIKITEXT : DocumentMode.LINES;
      }
      docs.addAll(cut(f.toString(), text, mode, options.detokenize()));
    }
    if (docs.isEmpty()) {
      throw new LopperException(
          path + ": no text found (expected a UTF-8 text file, a .gz of one, or a folder of them)");
    }
    return new TextCorpus(files, docs);
  }

  public List<Path> files() {
    return files;
  }

  public List<Document> documents() {
    return documents;
  }

  /** Total number of characters (UTF-16 units) over all documents. */
  public long characters() {
    long n = 0;
    for (Document d : documents) {
      n += d.text().length();
    }
    return n;
  }

  /** Cuts the text of one file into documents; {@code mode} must not be AUTO. */
  static List<Document> cut(String source, String text, DocumentMode mode, Detokenize detokenize) {
    List<Document> docs = new ArrayList<>();
    if (mode == DocumentMode.FILE) {
      if (!text.isBlank()) {
        docs.add(new Document(source, 1, detokenize.text(text)));
      }
      return docs;
    }
    String[] lines = lines(text);
    int start = -1; // first line of the open document, -1 when none
    int lastContent = -1; // last non-blank line of the open document
    for (int i = 0; i < lines.length; i++) {
      boolean blank = lines[i].isBlank();
      boolean boundary =
          switch (mode) {
            case LINES -> true;
            case PARAGRAPHS -> blank;
            case WIKITEXT -> isWikiTextTitle(lines[i]);
            default -> throw new IllegalArgumentException("unresolved document mode " + mode);
          };
      if (boundary && start >= 0) {
        docs.add(document(source, lines, start, lastContent, detokenize));
        start = -1;
      }
      if (!blank) {
        if (start < 0) {
          start = i;
        }
        lastContent = i;
      }
    }
    if (start >= 0) {
      docs.add(document(source, lines, start, lastContent, detokenize));
    }
    return docs;
  }

  private static Document document(
      String source, String[] lines, int from, int to, Detokenize detokenize) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i <= to; i++) {
      String line = detokenize.line(lines[i]);
      if (detokenize == Detokenize.BASIC && line.isEmpty()) {
        continue; // basic drops blank lines
      }
      if (b.length() > 0 || (i > from && detokenize != Detokenize.BASIC)) {
        b.append('\n');
      }
      b.append(line);
    }
    return new Document(source, from + 1, b.toString());
  }

  /** The lines of {@code text}; a final line break does not start another line. */
  static String[] lines(String text) {
    String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    return body.isEmpty() ? new String[0] : body.split("\n", -1);
  }

  /** A top-level WikiText title such as {@code " = Homarus gammarus = "} (not a section title). */
  static boolean isWikiTextTitle(String line) {
    String t = line.strip();
    return t.length() >= 5 && t.startsWith("= ") && t.endsWith(" =") && t.charAt(2) != '=';
  }

  private static boolean looksLikeWikiText(String text) {
    for (String line : lines(text)) {
      if (!line.isBlank()) {
        return isWikiTextTitle(line);
      }
    }
    return false;
  }

  private static List<Path> listFiles(Path path) {
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    if (!Files.isDirectory(path)) {
      throw new LopperException(path + ": file or folder not found");
    }
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> !isHidden(path.relativize(p)))
          .sorted((a, b) -> path.relativize(a).toString().compareTo(path.relativize(b).toString()))
          .toList();
    } catch (IOException e) {
      throw new LopperException(path + ": cannot list the folder: " + e.getMessage(), e);
    }
  }

  private static boolean isHidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }
}
