package dev.lopper.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Reads every real data file in ../shared/data through the loaders and checks counts computed
 * independently (Python's csv and json modules, wc). Run with {@code mvn test -Pintegration}.
 */
@Tag("shared-data")
class SharedDataTest {
  private static final Path DATA = Path.of("../shared/data");
  private static final TaskOptions EVAL = TaskOptions.defaults().withMode(TaskOptions.Mode.EVAL);

  @BeforeAll
  static void needsSharedData() {
    assumeTrue(Files.isDirectory(DATA), "../shared/data is absent");
  }

  @Test
  void e2e() {
    check(DATA.resolve("e2e/devset.csv"), 4672, 547);
    check(DATA.resolve("e2e/testset_w_refs.csv"), 4693, 630);
  }

  private static void check(Path file, int rows, int mrs) {
    List<TaskExample> train = Tasks.load(TaskKind.E2E, file, TaskOptions.defaults()).examples();
    List<TaskExample> eval = Tasks.load(TaskKind.E2E, file, EVAL).examples();
    assertEquals(rows, train.size());
    assertEquals(mrs, eval.size());
    assertEquals(rows, eval.stream().mapToInt(e -> e.references().size()).sum());
    assertEquals(mrs, new HashSet<>(eval.stream().map(TaskExample::group).toList()).size());
  }

  @Test
  void dialogSum() {
    List<TaskExample> ex =
        Tasks.load(TaskKind.DIALOGSUM, DATA.resolve("dialogsum/dialogsum.dev.jsonl"), EVAL)
            .examples();
    assertEquals(500, ex.size());
    assertEquals("dev_0", ex.get(0).id());
    assertTrue(
        ex.get(0).prompt().startsWith("Dialogue:\n#Person1#: Hello, how are you doing today?\n"));
  }

  @Test
  void wikiSqlReferencesRoundTrip() {
    checkWikiSql(DATA.resolve("wikisql/dev.jsonl"), 8467, 2627);
    checkWikiSql(DATA.resolve("wikisql/test.jsonl"), 15927, -1);
  }

  private static void checkWikiSql(Path file, int questions, int tables) {
    List<TaskExample> ex = Tasks.load(TaskKind.WIKISQL, file, EVAL).examples();
    assertEquals(questions, ex.size());
    if (tables > 0) {
      assertEquals(tables, new HashSet<>(ex.stream().map(TaskExample::group).toList()).size());
    }
    for (TaskExample e : ex) {
      String sql = e.references().get(0);
      WikiSqlQuery q = WikiSqlQuery.parse(sql);
      assertEquals(sql, q.toSql(), e.id());
      assertTrue(WikiSqlQuery.logicalFormEquals(sql, sql), e.id());
      assertTrue(e.prompt().contains(q.sel()), e.id());
    }
  }

  @Test
  void wikiText() throws Exception {
    Path file = DATA.resolve("wikitext-2/valid.txt");
    TextCorpus raw = TextCorpus.read(file, CorpusOptions.defaults());
    assertEquals(60, raw.documents().size());
    // pytorch/examples counts 217,646 tokens: the words plus one <eos> per line (3,760 lines)
    long words =
        raw.documents().stream()
            .mapToLong(d -> d.text().split("\\s+").length - (d.text().startsWith(" ") ? 1 : 0))
            .sum();
    assertEquals(217646 - 3760, words);
    TextCorpus detok =
        TextCorpus.read(file, CorpusOptions.defaults().withDetokenize(Detokenize.WIKITEXT));
    assertEquals(60, detok.documents().size());
    for (int i = 0; i < 60; i++) {
      String a = raw.documents().get(i).text();
      String b = detok.documents().get(i).text();
      assertFalse(b.contains("@-@") || b.contains(" , ") || b.contains(" 's "), "document " + i);
      assertEquals(count(a, "<unk>"), count(b, "<unk>"));
      assertEquals(
          a.replace("@-@", "-").replace("@,@", ",").replace("@.@", ".").replace(" ", ""),
          b.replace(" ", ""));
    }
    assertTrue(
        detok
            .documents()
            .get(0)
            .text()
            .startsWith("= Homarus gammarus =\n\nHomarus gammarus, known as"));
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int at = s.indexOf(what); at >= 0; at = s.indexOf(what, at + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void corpora() {
    assertEquals(211, lines("corpora/sotu.txt.gz"));
    assertEquals(31102, lines("corpora/kjv.txt.gz"));
    assertEquals(57340, lines("corpora/brown.txt.gz"));
    TextCorpus all = TextCorpus.read(DATA.resolve("corpora"), CorpusOptions.defaults());
    assertEquals(211 + 31102 + 57340, all.documents().size());
    assertTrue(all.documents().get(0).source().endsWith("brown.txt.gz"), "sorted by name");
    CorpusSplit split = CorpusSplit.split(all.documents(), 0.01, 0.01, 1);
    assertEquals(887, split.validation().size());
    assertEquals(887, split.test().size());
    Set<Document> seen = new HashSet<>(split.train());
    seen.addAll(split.validation());
    seen.addAll(split.test());
    assertEquals(all.documents().size(), seen.size());
  }

  private static int lines(String name) {
    return TextCorpus.read(DATA.resolve(name), CorpusOptions.defaults()).documents().size();
  }
}
