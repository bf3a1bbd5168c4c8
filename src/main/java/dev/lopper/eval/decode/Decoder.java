package dev.lopper.eval.decode;

import dev.lopper.model.CausalLM;
import dev.lopper.model.MlpHook;
import java.util.List;

/** Batched decoding of several prompts at once: {@link GreedySearch} or {@link BeamSearch}. */
public interface Decoder {
  /**
   * The new tokens of each prompt, in order (ending with the end-of-text id when the sequence
   * finished with it).
   */
  List<int[]> generate(List<int[]> prompts, DecodeConfig cfg);

  /**
   * The decoder Hugging Face's generate() uses for {@code cfg}: greedy for one beam, else beam
   * search.
   *
   * @param hook applied at every step, e.g. a pruning mask (null for none)
   */
  static Decoder of(CausalLM model, MlpHook hook, DecodeConfig cfg) {
    return cfg.numBeams() == 1 ? new GreedySearch(model, hook) : new BeamSearch(model, hook);
  }
}
