package dev.lopper.apitest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lopper.LopperException;
import dev.lopper.api.Analysis;
import dev.lopper.api.EvalResult;
import dev.lopper.api.Evaluation;
import dev.lopper.api.Lopper;
import dev.lopper.api.Model;
import dev.lopper.api.Redundancy;
import dev.lopper.api.TrainedRun;
import dev.lopper.testing.TinyLm;
import dev.lopper.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program's view of Lopper: only the public API is called (the fixtures write a tiny GPT-2 with a
 * 400-token BPE vocabulary and seeded random weights).
 */
class ApiPruneTest {
  private static final Path TEXT = TinyLm.TEXT;

  @TempDir Path tmp;

  @Test
  void prunesEvaluatesAnalysesAndExportsEndToEnd() throws IOException {
    String dense = TinyModels.gpt2WithTokenizer(tmp.resolve("dense"), 7).toString();
    Path out = tmp.resolve("run");
    try (TrainedRun run =
            Lopper.prune(dense, TEXT, out, "magnitude", 0.5)
                .steps(30)
                .lr(3e-3)
                .batchSize(2)
                .seqLen(32)
                .checkpointEvery(0)
                .run();
        Model start = Lopper.open(dense)) {
      Model pruned = run.model();
      int[] half = start.mlpWidths().clone();
      for (int l = 0; l < half.length; l++) {
        half[l] = (int) Math.round(0.5 * half[l]);
      }
      assertArrayEquals(half, pruned.mlpWidths());
      assertArrayEquals(half, run.widths());
      assertEquals(0.5, run.leftover(), 1e-12);
      assertEquals(30, run.steps());
      assertEquals(pruned.parameters(), run.parameters());
      assertEquals(start.parameters(), run.denseParameters());
      assertTrue(run.parameters() < run.denseParameters());
      assertEquals(0, run.maskedMinusShrunkValidLoss().getAsDouble(), 1e-5);
      assertTrue(Files.isRegularFile(out.resolve("run.json")));

      // near-zero initial logits: the untrained model is about uniform over its 400 tokens
      Evaluation blocks = Evaluation.perplexity(TEXT).context(32).stride(32).limit(20);
      double untrained = start.evaluate(blocks).perplexity();
      assertEquals(400, untrained, 40);
      EvalResult trained = pruned.evaluate(blocks);
      assertTrue(
          trained.perplexity() < 0.8 * untrained,
          "30 steps on the text lower its perplexity: " + trained.perplexity());
      assertEquals(Math.exp(trained.metric("mean_nll")), trained.perplexity(), 1e-9);

      Redundancy self = pruned.analyse(Analysis.on(TEXT).blocks(2).blockSize(32).baseline(pruned));
      assertEquals(1.0, self.sensitivityRatio(), 1e-12);
      assertEquals(1.0, self.uniquenessRatio(), 1e-12);
      Redundancy r = pruned.analyse(Analysis.on(TEXT).blocks(2).blockSize(32).baseline(start));
      assertArrayEquals(half, r.widths());
      assertEquals(2, r.blocks());
      assertTrue(r.uniqueness() >= 0 && r.uniqueness() <= 1);
      assertEquals(r.sensitivity(0) + r.sensitivity(1), r.sensitivity(), 1e-9 * r.sensitivity());
      assertTrue(Files.isRegularFile(r.write(tmp.resolve("analysis")).get(0)));
    }
  }

  @Test
  void shrinkingComputesWhatItKeptAndExportsPerLayerWidths() throws IOException {
    String dense = TinyModels.gpt2WithTokenizer(tmp.resolve("dense"), 11).toString();
    Evaluation blocks = Evaluation.perplexity(TEXT).context(32).stride(32).limit(5);
    try (Model m = Lopper.open(dense)) {
      int[][] all = new int[m.layers()][];
      for (int l = 0; l < all.length; l++) {
        all[l] = new int[m.mlpWidths()[l]];
        for (int i = 0; i < all[l].length; i++) {
          all[l][i] = all[l].length - 1 - i; // any order
        }
      }
      double full = m.evaluate(blocks).perplexity();
      try (Model same = m.shrink(all)) {
        assertEquals(full, same.evaluate(blocks).perplexity(), 1e-9 * full);
      }
      Path export = tmp.resolve("small");
      double small;
      try (Model s = m.shrink(new int[][] {{0, 5, 9}, {1, 2, 3, 4, 30}})) {
        assertArrayEquals(new int[] {3, 5}, s.mlpWidths());
        small = s.evaluate(blocks).perplexity();
        s.export(export);
      }
      String card = Files.readString(export.resolve("README.md"));
      assertTrue(card.startsWith("---\nbase_model: " + dense + "\n"), card);
      assertTrue(card.contains("  - pruned\n  - lopper\n  - gpt2\n"), card);
      int[] w = m.mlpWidths();
      assertTrue(card.contains("| [3, 5] of [" + w[0] + ", " + w[1] + "] |"), card);
      try (Model back = Lopper.open(export.toString())) {
        assertArrayEquals(new int[] {3, 5}, back.mlpWidths());
        assertEquals(small, back.evaluate(blocks).perplexity(), 1e-9 * small);
      }
      LopperException e =
          assertThrows(LopperException.class, () -> m.shrink(new int[][] {{0}, {0, 0}}));
      assertEquals(
          "kept neurons of layer 1: expected each index once, found 0 twice", e.getMessage());
    }
  }

  @Test
  void generationMetricsScoreTheirOwnOutputsAsExact() throws IOException {
    String dense = TinyModels.gpt2WithTokenizer(tmp.resolve("dense"), 3).toString();
    Path data = tmp.resolve("d.jsonl");
    Files.writeString(
        data,
        "{\"prompt\": \"The state of the\", \"target\": \"x\"}\n"
            + "{\"prompt\": \"We will\", \"target\": \"y\"}\n");
    try (Model m = Lopper.open(dense)) {
      EvalResult first = m.evaluate(Evaluation.task("jsonl", data).newTokens(0, 6));
      assertEquals(2, first.generations());
      StringBuilder own = new StringBuilder();
      for (int i = 0; i < 2; i++) {
        String prompt = i == 0 ? "The state of the" : "We will";
        own.append(
            String.format(
                "{\"prompt\": \"%s\", \"target\": %s}%n",
                prompt, com.fasterxml.jackson.databind.node.TextNode.valueOf(first.hypothesis(i))));
      }
      Path again = tmp.resolve("own.jsonl");
      Files.writeString(again, own);
      EvalResult second = m.evaluate(Evaluation.task("jsonl", again).newTokens(0, 6));
      assertEquals(1.0, second.metric("exact_match/accuracy"));
      assertThrows(LopperException.class, () -> Evaluation.perplexity(TEXT).beams(2));
    }
  }

  @Test
  void badSettingsAreNamedAndNothingIsWritten() {
    String dense = TinyModels.gpt2WithTokenizer(tmp.resolve("dense"), 7).toString();
    Path out = tmp.resolve("refused");
    LopperException leftover =
        assertThrows(
            LopperException.class,
            () -> Lopper.prune(dense, TEXT, out, "gum", 1.5).steps(10).run().close());
    assertEquals("--leftover must be in (0, 1], found 1.5", leftover.getMessage());
    LopperException lr =
        assertThrows(LopperException.class, () -> Lopper.finetune(dense, TEXT, out).lr(-1));
    assertEquals("lr: expected > 0, found -1.0", lr.getMessage());
    LopperException precision =
        assertThrows(
            LopperException.class, () -> Lopper.finetune(dense, TEXT, out).precision("fp8"));
    assertEquals("precision: expected fp32 or bf16, found 'fp8'", precision.getMessage());
    LopperException tooFew =
        assertThrows(
            LopperException.class,
            () -> Lopper.prune(dense, TEXT, out, "topv", 1e-4).steps(10).run().close());
    assertTrue(tooFew.getMessage().startsWith("--leftover 1e-4 keeps round"), tooFew.getMessage());
    assertFalse(Files.exists(out), "nothing written for refused runs");
  }

  @Test
  void aMissingModelIsNamed() {
    Path missing = tmp.resolve("nothing-here");
    LopperException e =
        assertThrows(LopperException.class, () -> Lopper.open(missing.toString()).close());
    assertTrue(e.getMessage().contains("nothing-here"), e.getMessage());
  }
}
