package dev.lopper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.io.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreCommandTest {
  @TempDir Path dir;

  /** Exit status and what the command printed on stdout and stderr. */
  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int status = Main.run(args);
      return new Run(
          status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  private Path lines(String name, List<String> lines) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, lines, StandardCharsets.UTF_8);
    return p;
  }

  private static JsonNode e2e() throws IOException {
    try (InputStream in = ScoreCommandTest.class.getResourceAsStream("/metrics/e2e.json")) {
      return Json.MAPPER.readTree(in);
    }
  }

  @Test
  void jsonScoresMatchSacrebleuAndRougeScoreOnE2eWithTwoReferenceFiles() throws IOException {
    JsonNode f = e2e();
    List<String> hyps = new ArrayList<>();
    List<String> ref1 = new ArrayList<>();
    List<String> ref2 = new ArrayList<>();
    for (JsonNode e : f.get("examples")) {
      hyps.add(e.get("hyp").asText());
      ref1.add(e.get("refs").get(0).asText());
      ref2.add(e.get("refs").get(1).asText());
    }
    Path h = lines("hyp.txt", hyps);
    Path r1 = lines("ref1.txt", ref1);
    Path r2 = lines("ref2.txt", ref2);
    JsonNode expected = f.get("first_two_refs");
    for (boolean stem : new boolean[] {false, true}) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "score",
                  "--metric",
                  "bleu,rouge,em",
                  "--hyp",
                  h.toString(),
                  "--ref",
                  r1.toString(),
                  "--ref",
                  r2.toString(),
                  "--format",
                  "json"));
      if (stem) {
        args.add("--stem");
      }
      Run run = run(args.toArray(String[]::new));
      assertEquals(0, run.status(), run.err());
      JsonNode got = Json.MAPPER.readTree(run.out());
      assertEquals(hyps.size(), got.get("hypotheses").asInt());
      assertEquals(2, got.get("references_per_hypothesis").asInt());
      assertEquals(
          expected.get("bleu").get("score").asDouble(),
          got.get("bleu").get("score").asDouble(),
          0.01);
      assertEquals(
          expected.get("bleu").get("ref_len").asLong(), got.get("bleu").get("ref_len").asLong());
      JsonNode rouge = expected.get("rouge").get(stem ? "stemmed" : "plain");
      for (String type : List.of("rouge1", "rouge2", "rougeL", "rougeLsum")) {
        assertEquals(
            rouge.get(type).get("f1").asDouble(),
            got.get("rouge").get(type).get("f1").asDouble(),
            0.001,
            type);
      }
      assertEquals(stem, got.get("rouge").get("stemmed").asBoolean());
      int same = 0;
      for (int i = 0; i < hyps.size(); i++) {
        same += hyps.get(i).equals(ref1.get(i)) || hyps.get(i).equals(ref2.get(i)) ? 1 : 0;
      }
      assertEquals(same, got.get("exact_match").get("matches").asInt());
    }
  }

  @Test
  void textTableAndExactMatchOptions() throws IOException {
    Path h = lines("h.txt", List.of("The cat sat.", " yes ", "NO"));
    Path r = lines("r.txt", List.of("The cat sat.", "yes", "no"));
    Run plain = run("score", "--metric", "em", "--hyp", h.toString(), "--ref", r.toString());
    assertEquals(0, plain.status(), plain.err());
    assertTrue(plain.out().contains("Exact match  0.3333 (1 of 3"), plain.out());
    Run loose =
        run(
            "score",
            "--metric",
            "em",
            "--metric",
            "bleu",
            "--hyp",
            h.toString(),
            "--ref",
            r.toString(),
            "--em-whitespace",
            "strip",
            "--ignore-case");
    assertEquals(0, loose.status(), loose.err());
    assertTrue(loose.out().contains("Exact match  1.0000 (3 of 3"), loose.out());
    assertTrue(loose.out().contains("BLEU  "), loose.out());
    Run rouge = run("score", "--metric", "rouge", "--hyp", h.toString(), "--ref", r.toString());
    assertTrue(rouge.out().contains("rougeLsum"), rouge.out());
  }

  @Test
  void lineCountMismatchNamesBothFilesAndCounts() throws IOException {
    Path h = lines("h.txt", List.of("a", "b", "c"));
    Path r = lines("r.txt", List.of("a", "b"));
    Run run = run("score", "--metric", "bleu", "--hyp", h.toString(), "--ref", r.toString());
    assertEquals(2, run.status());
    assertTrue(
        run.err()
            .startsWith("error: line counts differ: " + h + " has 3 lines but " + r + " has 2"),
        run.err());
  }

  @Test
  void missingFileAndInvalidUtf8AreBadInput() throws IOException {
    Path h = lines("h.txt", List.of("a"));
    Run missing =
        run(
            "score",
            "--metric",
            "rouge",
            "--hyp",
            h.toString(),
            "--ref",
            dir.resolve("absent.txt").toString());
    assertEquals(2, missing.status());
    assertEquals("error: " + dir.resolve("absent.txt") + ": file not found", missing.err().strip());
    Path bad = dir.resolve("bad.txt");
    Files.write(bad, new byte[] {'o', 'k', '\n', (byte) 0xff, '\n'});
    Path two = lines("two.txt", List.of("a", "b"));
    Run invalid =
        run("score", "--metric", "bleu", "--hyp", two.toString(), "--ref", bad.toString());
    assertEquals(2, invalid.status());
    assertTrue(invalid.err().startsWith("error: " + bad + ":2: not valid UTF-8"), invalid.err());
    Path empty = lines("empty.txt", List.of());
    Run none = run("score", "--metric", "em", "--hyp", empty.toString(), "--ref", empty.toString());
    assertEquals(2, none.status());
    assertTrue(none.err().contains(empty + ": no lines"), none.err());
  }

  @Test
  void helpTeachesTheMetrics() {
    Run help = run("score", "--help");
    assertEquals(0, help.status());
    for (String s : List.of("sacrebleu", "rouge-score", "exact match", "--stem", "--ref")) {
      assertTrue(help.out().contains(s), s + " in:\n" + help.out());
    }
    Run noMetric = run("score", "--hyp", "h.txt", "--ref", "r.txt");
    assertEquals(2, noMetric.status());
  }
}
