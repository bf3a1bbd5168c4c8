package dev.lopper.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lopper.LopperException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextCorpusTest {
  @TempDir Path dir;

  private static final String WIKI =
      " \n"
          + " = Alpha = \n"
          + " \n"
          + " Alpha is a <unk> , first . \n"
          + " \n"
          + " = = Life = = \n"
          + " \n"
          + " It was 1 @,@ 000 . \n"
          + " \n"
          + " = Beta = \n"
          + " \n"
          + " Beta 's text . \n";

  private static List<String> texts(TextCorpus c) {
    return c.documents().stream().map(Document::text).toList();
  }

  @Test
  void wikiTextArticlesAsIsAndDetokenised() throws IOException {
    Path f = dir.resolve("wiki.valid.tokens");
    Files.writeString(f, WIKI);
    TextCorpus raw = TextCorpus.read(f, CorpusOptions.defaults());
    assertEquals(
        List.of(
            " = Alpha = \n"
                + " \n"
                + " Alpha is a <unk> , first . \n"
                + " \n"
                + " = = Life = = \n"
                + " \n"
                + " It was 1 @,@ 000 . ",
            " = Beta = \n \n Beta 's text . "),
        texts(raw));
    assertEquals(2, raw.documents().get(0).line());
    assertEquals(10, raw.documents().get(1).line());
    TextCorpus detok =
        TextCorpus.read(f, CorpusOptions.defaults().withDetokenize(Detokenize.WIKITEXT));
    assertEquals(
        List.of(
            "= Alpha =\n\nAlpha is a <unk>, first.\n\n== Life ==\n\nIt was 1,000.",
            "= Beta =\n\nBeta's text."),
        texts(detok));
  }

  @Test
  void linesParagraphsAndWholeFiles() throws IOException {
    Path f = dir.resolve("t.txt");
    Files.writeString(f, "one\r\ntwo\n\n  \nthree\nfour\n\nfive");
    assertEquals(
        List.of("one", "two", "three", "four", "five"),
        texts(TextCorpus.read(f, CorpusOptions.defaults())));
    assertEquals(
        List.of("one\ntwo", "three\nfour", "five"),
        texts(TextCorpus.read(f, CorpusOptions.defaults().withDocuments(DocumentMode.PARAGRAPHS))));
    assertEquals(
        List.of(5, 8),
        TextCorpus.read(f, CorpusOptions.defaults().withDocuments(DocumentMode.PARAGRAPHS))
            .documents()
            .stream()
            .skip(1)
            .map(Document::line)
            .toList());
    assertEquals(
        List.of("one\ntwo\n\n  \nthree\nfour\n\nfive"),
        texts(TextCorpus.read(f, CorpusOptions.defaults().withDocuments(DocumentMode.FILE))));
  }

  @Test
  void folderIsReadInSortedOrderWithGzipAndWithoutHiddenFiles() throws IOException {
    Path folder = dir.resolve("corpus");
    Files.createDirectories(folder.resolve("sub"));
    Files.writeString(folder.resolve("b.txt"), "b1\nb2\n");
    Files.writeString(folder.resolve("a.txt"), "a1\n");
    Files.writeString(folder.resolve(".hidden"), "never\n");
    try (OutputStream out =
        new GZIPOutputStream(Files.newOutputStream(folder.resolve("sub/c.txt.gz")))) {
      out.write("c1\n".getBytes(StandardCharsets.UTF_8));
    }
    TextCorpus c = TextCorpus.read(folder, CorpusOptions.defaults());
    assertEquals(List.of("a1", "b1", "b2", "c1"), texts(c));
    assertEquals(3, c.files().size());
    assertEquals(folder.resolve("b.txt") + ":2", c.documents().get(2).toString());
    assertEquals(8, c.characters());
  }

  @Test
  void errorsNameThePath() throws IOException {
    Path missing = dir.resolve("missing");
    assertEquals(
        missing + ": file or folder not found",
        assertThrows(
                LopperException.class, () -> TextCorpus.read(missing, CorpusOptions.defaults()))
            .getMessage());
    Path blank = dir.resolve("blank.txt");
    Files.writeString(blank, "\n \n");
    assertTrue(
        assertThrows(LopperException.class, () -> TextCorpus.read(blank, CorpusOptions.defaults()))
            .getMessage()
            .startsWith(blank + ": no text found"));
    Path bad = dir.resolve("bad.txt");
    Files.write(bad, new byte[] {'a', '\n', (byte) 0xff});
    assertTrue(
        assertThrows(LopperException.class, () -> TextCorpus.read(bad, CorpusOptions.defaults()))
            .getMessage()
            .startsWith(bad + ":2: not valid UTF-8"));
  }

  @Test
  void documentModeNames() {
    assertEquals(DocumentMode.PARAGRAPHS, DocumentMode.parse("Paragraphs"));
    assertEquals(
        "document mode: expected one of auto, file, lines, paragraphs, wikitext, found \"words\"",
        assertThrows(LopperException.class, () -> DocumentMode.parse("words")).getMessage());
  }
}
