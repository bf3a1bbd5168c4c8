package dev.lopper.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.LopperException;
import dev.lopper.data.TokenBlocks;
import dev.lopper.io.Json;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ModelIO;
import dev.lopper.model.TokenLoss;
import dev.lopper.testing.GoldenModels;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Sliding-window perplexity against direct NLL computations and transformers' loss. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PerplexityTest {
  private NDManager manager;
  private CausalLM model;

  @BeforeAll
  void load() {
    manager = NDManager.newBaseManager();
    model = ModelIO.load(GoldenModels.GPT2, manager);
  }

  @AfterAll
  void close() {
    manager.close();
  }

  private static int[] randomTokens(int n, long seed) {
    Random r = new Random(seed);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = r.nextInt(97);
    }
    return out;
  }

  /** Summed NLL of predicting tokens[1..] from tokens[..n-1] in one forward pass. */
  private double directNll(int[] tokens) {
    try (NDManager m = manager.newSubManager()) {
      long[] in = new long[tokens.length - 1];
      long[] tg = new long[tokens.length - 1];
      for (int i = 0; i < in.length; i++) {
        in[i] = tokens[i];
        tg[i] = tokens[i + 1];
      }
      NDArray logits = model.forward(m.create(in, new Shape(1, in.length)));
      return TokenLoss.nll(logits, m.create(tg, new Shape(1, tg.length))).sum().getFloat();
    }
  }

  @Test
  void equalsTransformersLossOnTheGoldenRows() {
    JsonNode g = Json.read(GoldenModels.GPT2.resolve("golden.json"));
    double nll = 0;
    long tokens = 0;
    for (JsonNode row : g.get("input_ids")) {
      int[] ids = new int[row.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = row.get(i).asInt();
      }
      Perplexity.Result r = new Perplexity(model, null).evaluate(ids, 64, 64, 4, null);
      nll += r.nllSum();
      tokens += r.tokens();
    }
    assertEquals(22, tokens);
    // transformers' loss: the mean NLL over both rows' 11 predictions
    assertEquals(g.get("loss").asDouble(), nll / tokens, 1e-5);
  }

  @Test
  void isExpOfTheMeanNllWhenTheStreamFitsTheContext() {
    int[] stream = randomTokens(50, 1);
    Perplexity.Result r = new Perplexity(model, null).evaluate(stream, 64, 16, 3, null);
    double direct = directNll(stream);
    assertEquals(49, r.tokens());
    assertEquals(direct, r.nllSum(), 1e-4);
    assertEquals(Math.exp(direct / 49), r.perplexity(), 1e-4 * r.perplexity());
  }

  @Test
  void disjointBlocksScoreEachBlockAloneWithoutItsFirstToken() {
    int context = 16;
    int[] stream = randomTokens(context * 7 + 5, 3); // 5 tokens short of an eighth block
    double direct = 0;
    for (int k = 0; k < 7; k++) {
      direct += directNll(Arrays.copyOfRange(stream, k * context, (k + 1) * context));
    }
    Perplexity.Result r = new Perplexity(model, null).evaluateBlocks(stream, context, 3, null);
    assertEquals(7, r.windows());
    assertEquals(7 * (context - 1), r.tokens());
    assertEquals(direct, r.nllSum(), 1e-3);
  }

  @Test
  void strideEqualToContextIsPlainBlockEvaluation() {
    int context = 16;
    int[] stream = randomTokens(context * 12 + 1, 2);
    TokenBlocks blocks = TokenBlocks.pack(stream, context);
    double blockNll = 0;
    for (int i = 0; i < blocks.count(); i++) {
      blockNll += directNll(blocks.block(i));
    }
    AtomicInteger windows = new AtomicInteger();
    Perplexity.Result r =
        new Perplexity(model, null).evaluate(stream, context, context, 5, windows::addAndGet);
    assertEquals(blocks.count(), r.windows());
    assertEquals(r.windows(), windows.get());
    assertEquals(stream.length - 1, r.tokens());
    assertEquals(blockNll, r.nllSum(), 1e-3);
  }

  @Test
  void aStreamLongerThanTheContextGivesEachPredictionTheMostContextAtStrideOne() {
    int context = 12;
    int[] stream = randomTokens(70, 3);
    double brute = 0;
    for (int p = 0; p + 1 < stream.length; p++) {
      // prediction p (of token p + 1) reads tokens [p - context + 1, p]
      int begin = Math.max(0, p - context + 1);
      int[] window = Arrays.copyOfRange(stream, begin, p + 2);
      double all = directNll(window);
      double before = window.length > 2 ? directNll(Arrays.copyOf(window, window.length - 1)) : 0;
      brute += all - before;
    }
    Perplexity.Result r = new Perplexity(model, null).evaluate(stream, context, 1, 8, null);
    assertEquals(stream.length - 1, r.tokens());
    assertEquals(brute, r.nllSum(), 2e-3);
  }

  @Test
  void batchingDoesNotChangeTheResult() {
    int[] stream = randomTokens(300, 4); // several times the model's 64 positions
    Perplexity p = new Perplexity(model, null);
    Perplexity.Result one = p.evaluate(stream, 40, 24, 1, null);
    Perplexity.Result many = p.evaluate(stream, 40, 24, 7, null);
    assertEquals(299, one.tokens());
    assertEquals(one.windows(), many.windows());
    assertEquals(one.nllSum(), many.nllSum(), 1e-3);
    assertTrue(Double.isFinite(many.perplexity()) && many.perplexity() > 1);
  }

  @Test
  void badSettingsAreClearErrors() {
    Perplexity p = new Perplexity(model, null);
    int[] s = randomTokens(10, 5);
    LopperException e = assertThrows(LopperException.class, () -> p.evaluate(s, 65, 8, 1, null));
    assertTrue(e.getMessage().contains("1..64"), e.getMessage());
    assertThrows(LopperException.class, () -> p.evaluate(s, 16, 17, 1, null));
    assertThrows(LopperException.class, () -> p.evaluate(s, 16, 0, 1, null));
    assertThrows(LopperException.class, () -> p.evaluate(s, 16, 8, 0, null));
    Perplexity.Result empty = p.evaluate(new int[] {5}, 16, 8, 1, null);
    assertEquals(0, empty.tokens());
    assertTrue(Double.isNaN(empty.perplexity()));
  }
}
