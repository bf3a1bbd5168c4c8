package dev.lopper.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import dev.lopper.eval.decode.Generator;
import dev.lopper.eval.decode.SamplingConfig;
import dev.lopper.io.Json;
import dev.lopper.text.Tokenizer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lopper generate}: continue a prompt, greedy by default or sampled. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Continue a prompt with a model (KV-cached decoding).",
      "Greedy unless a sampling option (--temperature, --top-k, --top-p) is given; sampling",
      "applies temperature, then top-k, then top-p, as Hugging Face does, and --seed fixes it.",
      "Text output streams as tokens arrive; --format json prints prompt_ids, output_ids (the",
      "new tokens only) and text (the continuation) at the end."
    })
final class GenerateCommand implements Callable<Integer> {
  @Mixin ModelOption model;
  @Mixin PrecisionOptions precision;
  @Mixin FormatOption format;

  @Option(
      names = {"-p", "--prompt"},
      required = true,
      description = "Text to continue.")
  String prompt;

  @Option(
      names = {"-n", "--max-new-tokens"},
      defaultValue = "50",
      description = "Most new tokens to produce (default: ${DEFAULT-VALUE}).")
  int maxNewTokens;

  @Option(names = "--greedy", description = "Pick the most likely token each step (the default).")
  boolean greedy;

  @Option(names = "--temperature", description = "Sample with this temperature (> 0).")
  Double temperature;

  @Option(names = "--top-k", description = "Sample among the k most likely tokens.")
  Integer topK;

  @Option(
      names = "--top-p",
      description = "Sample among the smallest set of tokens whose probability reaches p.")
  Double topP;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "Seed for sampling (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--ignore-eos", description = "Do not stop at the end-of-text token.")
  boolean ignoreEos;

  @Override
  public Integer call() {
    boolean sampling = temperature != null || topK != null || topP != null;
    if (greedy && sampling) {
      throw new LopperException(
          "--greedy cannot be combined with --temperature, --top-k or --top-p");
    }
    try (LoadedModel m = LoadedModel.open(model, precision.resolve().precision())) {
      int eos = ignoreEos ? -1 : m.eosId();
      SamplingConfig cfg =
          sampling
              ? new SamplingConfig(
                  maxNewTokens,
                  false,
                  temperature == null ? 1.0 : temperature,
                  topK == null ? 0 : topK,
                  topP == null ? 1.0 : topP,
                  seed,
                  eos)
              : SamplingConfig.greedy(maxNewTokens, eos);
      Tokenizer tok = m.tokenizer();
      int[] promptIds = tok.withBos(tok.encode(prompt));
      String promptText = tok.decode(promptIds);
      PrintStream out = System.out;
      List<Integer> produced = new ArrayList<>();
      StringBuilder shown = new StringBuilder();
      if (!format.json()) {
        out.print(prompt);
        out.flush();
      }
      int[] ids =
          new Generator(m.model())
              .generate(
                  promptIds,
                  cfg,
                  t -> {
                    produced.add(t);
                    if (!format.json()) {
                      // decode everything so far: a character may span several byte-level tokens
                      String text =
                          continuation(
                              tok,
                              promptIds,
                              promptText,
                              produced.stream().mapToInt(Integer::intValue).toArray());
                      if (text.startsWith(shown.toString()) && !text.endsWith("\uFFFD")) {
                        out.print(text.substring(shown.length()));
                        out.flush();
                        shown.setLength(0);
                        shown.append(text);
                      }
                    }
                  });
      String text = continuation(tok, promptIds, promptText, ids);
      if (format.json()) {
        ObjectNode o = Json.object();
        o.put("prompt", prompt);
        o.set("prompt_ids", Json.MAPPER.valueToTree(promptIds));
        o.set("output_ids", Json.MAPPER.valueToTree(ids));
        o.put("text", text);
        out.println(Json.pretty(o));
      } else {
        if (text.startsWith(shown.toString())) {
          out.print(text.substring(shown.length()));
        }
        out.println();
      }
    }
    return 0;
  }

  /**
   * The text of {@code ids} after the prompt, decoded together with it: alone, a SentencePiece
   * decoder would drop the space before the first word, as it does at the start of any text.
   */
  static String continuation(Tokenizer tok, int[] promptIds, String promptText, int[] ids) {
    int[] all = Arrays.copyOf(promptIds, promptIds.length + ids.length);
    System.arraycopy(ids, 0, all, promptIds.length, ids.length);
    String text = tok.decode(all);
    return text.startsWith(promptText) ? text.substring(promptText.length()) : tok.decode(ids);
  }
}
