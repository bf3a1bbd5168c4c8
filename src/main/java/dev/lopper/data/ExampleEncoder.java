package dev.lopper.data;

import dev.lopper.text.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns prompt -> target examples into token sequences for training: prompt ids, target ids, then
 * the end-of-text id. Prompt and target are encoded separately, so the boundary between them is
 * exact. A sequence holds at most {@code maxLength + 1} tokens ({@code maxLength} input positions).
 *
 * <p>When it is longer, the prompt is cut from the left (its end, next to the target, is kept). The
 * target is never dropped silently: if the target alone does not fit after one prompt token, its
 * end is cut and the example counts in {@link EncodingStats#targetsTruncated()}. A prompt starts
 * with the beginning-of-text id when the tokenizer's model uses one (Llama), and a cut prompt keeps
 * it first; otherwise an empty prompt becomes the end-of-text id alone (GPT-2's start-of-text
 * convention), so the first target token is predicted too.
 */
public final class ExampleEncoder {
  private final Tokenizer tokenizer;
  private final int maxLength;

  /** {@code maxLength}: the most input positions of one sequence (the model's context), >= 1. */
  public ExampleEncoder(Tokenizer tokenizer, int maxLength) {
    if (maxLength < 1) {
      throw new IllegalArgumentException("max length must be at least 1: " + maxLength);
    }
    this.tokenizer = tokenizer;
    this.maxLength = maxLength;
  }

  public int maxLength() {
    return maxLength;
  }

  public EncodedExample encode(TaskExample example) {
    int[] prompt = promptIds(example);
    int[] target = withEos(tokenizer.encode(example.target()));
    int budget = maxLength + 1;
    int promptDropped = 0;
    int targetDropped = 0;
    if (prompt.length + target.length > budget) {
      int keepPrompt = Math.max(Math.min(prompt.length, 1), budget - target.length);
      promptDropped = prompt.length - keepPrompt;
      prompt = keepLast(prompt, keepPrompt);
      int keepTarget = Math.min(target.length, budget - keepPrompt);
      targetDropped = target.length - keepTarget;
      target = Arrays.copyOf(target, keepTarget);
    }
    int[] tokens = Arrays.copyOf(prompt, prompt.length + target.length);
    System.arraycopy(target, 0, tokens, prompt.length, target.length);
    return new EncodedExample(tokens, prompt.length, promptDropped, targetDropped);
  }

  public List<EncodedExample> encodeAll(List<TaskExample> examples) {
    List<EncodedExample> out = new ArrayList<>(examples.size());
    for (TaskExample e : examples) {
      out.add(encode(e));
    }
    return out;
  }

  /**
   * The prompt ids to generate from, cut from the left to at most {@code maxTokens} (leave room for
   * the generation).
   */
  public int[] encodePrompt(TaskExample example, int maxTokens) {
    return keepLast(promptIds(example), maxTokens);
  }

  private int[] promptIds(TaskExample example) {
    int[] ids = tokenizer.encode(example.prompt());
    if (tokenizer.bosId() >= 0) {
      return tokenizer.withBos(ids);
    }
    return ids.length == 0 && tokenizer.eosId() >= 0 ? new int[] {tokenizer.eosId()} : ids;
  }

  /** The last {@code keep} prompt ids; a leading beginning-of-text id stays first. */
  private int[] keepLast(int[] prompt, int keep) {
    if (prompt.length <= keep) {
      return prompt;
    }
    if (tokenizer.bosId() < 0 || keep < 1) {
      return Arrays.copyOfRange(prompt, prompt.length - keep, prompt.length);
    }
    int[] out = new int[keep];
    out[0] = prompt[0];
    System.arraycopy(prompt, prompt.length - (keep - 1), out, 1, keep - 1);
    return out;
  }

  private int[] withEos(int[] ids) {
    if (tokenizer.eosId() < 0) {
      return ids;
    }
    int[] out = Arrays.copyOf(ids, ids.length + 1);
    out[ids.length] = tokenizer.eosId();
    return out;
  }
}
