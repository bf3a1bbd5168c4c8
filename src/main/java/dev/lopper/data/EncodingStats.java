package dev.lopper.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What encoding a set of examples did: how many prompts were cut from the left, how many targets
 * had to be cut at their end (the target alone did not fit), and the sequence lengths.
 */
public record EncodingStats(
    int examples,
    int promptsTruncated,
    long promptTokensDropped,
    int targetsTruncated,
    long targetTokensDropped,
    int longestSequence,
    long tokens,
    long targetTokens) {

  public static EncodingStats of(List<EncodedExample> encoded) {
    int pt = 0;
    int tt = 0;
    long pd = 0;
    long td = 0;
    int longest = 0;
    long tokens = 0;
    long target = 0;
    for (EncodedExample e : encoded) {
      pt += e.promptDropped() > 0 ? 1 : 0;
      tt += e.targetDropped() > 0 ? 1 : 0;
      pd += e.promptDropped();
      td += e.targetDropped();
      longest = Math.max(longest, e.tokens().length);
      tokens += e.tokens().length;
      target += e.tokens().length - e.promptLength();
    }
    return new EncodingStats(encoded.size(), pt, pd, tt, td, longest, tokens, target);
  }

  public Map<String, Number> asMap() {
    Map<String, Number> m = new LinkedHashMap<>();
    m.put("examples", examples);
    m.put("prompts_truncated", promptsTruncated);
    m.put("prompt_tokens_dropped", promptTokensDropped);
    m.put("targets_truncated", targetsTruncated);
    m.put("target_tokens_dropped", targetTokensDropped);
    m.put("longest_sequence", longestSequence);
    m.put("tokens", tokens);
    m.put("target_tokens", targetTokens);
    return m;
  }
}
