package dev.lopper.eval.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.LopperException;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ModelIO;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Batched greedy and beam search against transformers' generate() on the golden tiny models. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BeamSearchTest {
  private NDManager manager;
  private final Map<String, CausalLM> models = new HashMap<>();

  @BeforeAll
  void load() {
    manager = NDManager.newBaseManager();
    for (String name : GoldenDecoding.MODELS) {
      models.put(name, ModelIO.load(GoldenDecoding.folder(name), manager));
    }
  }

  @AfterAll
  void close() {
    manager.close();
  }

  static List<GoldenDecoding> cases() {
    return GoldenDecoding.all();
  }

  /**
   * Every fixture's expected outputs are also what transformers gives each prompt alone (the script
   * checks it), so a batch must give what its prompts give alone.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesTransformersTokenForToken(GoldenDecoding c) {
    List<int[]> got =
        Decoder.of(models.get(c.model()), null, c.config()).generate(c.prompts(), c.config());
    for (int i = 0; i < c.outputs().size(); i++) {
      assertArrayEquals(
          c.outputs().get(i),
          got.get(i),
          c + " prompt " + i + ": got " + Arrays.toString(got.get(i)));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.lopper.testing.GoldenModels#names")
  void theOriginalBeam4FixtureMatches(String name) {
    JsonNode g = GoldenDecoding.golden(name);
    // made with min_new_tokens = max_new_tokens = 20 and the config's eos id
    DecodeConfig cfg =
        DecodeConfig.beams(4, 20, models.get(name).config().eosTokenId()).withMinNewTokens(20);
    int[] got =
        new BeamSearch(models.get(name), null)
            .generate(List.of(GoldenDecoding.ints(g.get("prompt"))), cfg)
            .get(0);
    assertArrayEquals(GoldenDecoding.ints(g.get("beam4")), got, name);
  }

  /** Beam search with one beam keeps the best continuation only: greedy search. */
  @ParameterizedTest
  @MethodSource("dev.lopper.testing.GoldenModels#names")
  void oneBeamIsGreedy(String name) {
    CausalLM model = models.get(name);
    JsonNode g = GoldenDecoding.golden(name);
    List<int[]> prompts = new ArrayList<>();
    prompts.add(GoldenDecoding.ints(g.get("prompt")));
    prompts.add(Arrays.copyOf(GoldenDecoding.ints(g.get("input_ids").get(1)), 3));
    int stopAt = g.get("decoding").get(0).get("settings").get("eos_token_id").asInt();
    for (int eos : new int[] {-1, stopAt}) {
      DecodeConfig cfg = DecodeConfig.beams(1, 20, eos);
      List<int[]> beam = new BeamSearch(model, null).generate(prompts, cfg);
      List<int[]> greedy = new GreedySearch(model, null).generate(prompts, cfg);
      for (int i = 0; i < prompts.size(); i++) {
        int[] single =
            new Generator(model).generate(prompts.get(i), SamplingConfig.greedy(20, eos));
        assertArrayEquals(single, greedy.get(i), name + " greedy, prompt " + i + ", eos " + eos);
        assertArrayEquals(single, beam.get(i), name + " one beam, prompt " + i + ", eos " + eos);
      }
      if (eos < 0) {
        // transformers' greedy continuation (made with the end-of-text id held off)
        assertArrayEquals(GoldenDecoding.ints(g.get("greedy")), greedy.get(0), name);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2", "gpt_neo"})
  void paddingChangesNoLogits(String name) {
    CausalLM model = models.get(name);
    List<int[]> prompts =
        List.of(new int[] {5, 17, 33, 2, 90, 41, 7}, new int[] {64}, new int[] {12, 13, 14});
    int[][] steps = {{3, 4, 5}, {60, 61, 62}, {9, 9, 9}};
    int vocab = model.config().vocabSize();
    float[][] batched = new float[steps.length + 1][];
    try (NDManager m = manager.newSubManager();
        PaddedBatch batch = new PaddedBatch(model, null, m)) {
      batched[0] = batch.start(prompts, 10, PaddedBatch.Scores.LOGITS);
      for (int s = 0; s < steps.length; s++) {
        batched[s + 1] = batch.next(steps[s], PaddedBatch.Scores.LOGITS);
      }
    }
    for (int r = 0; r < prompts.size(); r++) {
      try (NDManager m = manager.newSubManager();
          PaddedBatch alone = new PaddedBatch(model, null, m)) {
        float[][] single = new float[steps.length + 1][];
        single[0] = alone.start(List.of(prompts.get(r)), 10, PaddedBatch.Scores.LOGITS);
        for (int s = 0; s < steps.length; s++) {
          single[s + 1] = alone.next(new int[] {steps[s][r]}, PaddedBatch.Scores.LOGITS);
        }
        for (int s = 0; s <= steps.length; s++) {
          float[] row = Arrays.copyOfRange(batched[s], r * vocab, (r + 1) * vocab);
          float diff = 0;
          for (int v = 0; v < vocab; v++) {
            diff = Math.max(diff, Math.abs(row[v] - single[s][v]));
          }
          assertTrue(diff <= 1e-5, name + " row " + r + " step " + s + ": max diff " + diff);
        }
      }
    }
  }

  @Test
  void selectReordersAndDuplicatesRows() {
    CausalLM model = models.get("gpt2");
    int vocab = model.config().vocabSize();
    List<int[]> prompts = List.of(new int[] {1, 2, 3}, new int[] {40, 50});
    try (NDManager m = manager.newSubManager();
        PaddedBatch batch = new PaddedBatch(model, null, m);
        NDManager m2 = manager.newSubManager();
        PaddedBatch swapped = new PaddedBatch(model, null, m2)) {
      batch.start(prompts, 5, PaddedBatch.Scores.LOGITS);
      batch.select(new int[] {1, 1, 0});
      float[] got = batch.next(new int[] {7, 8, 9}, PaddedBatch.Scores.LOGITS);
      swapped.start(
          List.of(prompts.get(1), prompts.get(1), prompts.get(0)), 5, PaddedBatch.Scores.LOGITS);
      float[] want = swapped.next(new int[] {7, 8, 9}, PaddedBatch.Scores.LOGITS);
      assertEquals(3 * vocab, got.length);
      for (int i = 0; i < got.length; i++) {
        assertEquals(want[i], got[i], 1e-5, "entry " + i);
      }
    }
  }

  @Test
  void badInputsAreClearErrors() {
    CausalLM model = models.get("gpt2");
    DecodeConfig cfg = DecodeConfig.beams(2, 5, -1);
    LopperException empty =
        assertThrows(
            LopperException.class,
            () -> new BeamSearch(model, null).generate(List.of(new int[] {1}, new int[0]), cfg));
    assertTrue(empty.getMessage().contains("prompt 1 is empty"), empty.getMessage());
    int[] longPrompt = new int[model.config().maxPositions() - 2];
    LopperException tooLong =
        assertThrows(
            LopperException.class,
            () -> new GreedySearch(model, null).generate(List.of(longPrompt), cfg));
    assertTrue(
        tooLong.getMessage().contains("exceeds the model's 64 positions"), tooLong.getMessage());
    assertThrows(
        LopperException.class,
        () ->
            new BeamSearch(model, null)
                .generate(List.of(new int[] {1}), DecodeConfig.beams(49, 5, -1)));
    assertThrows(LopperException.class, () -> DecodeConfig.beams(0, 5, -1));
    assertThrows(LopperException.class, () -> DecodeConfig.beams(2, 0, -1));
    assertThrows(LopperException.class, () -> DecodeConfig.beams(2, 5, -1).withMinNewTokens(6));
    assertThrows(LopperException.class, () -> EarlyStopping.parse("sometimes"));
  }
}
