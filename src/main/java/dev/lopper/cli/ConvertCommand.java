package dev.lopper.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.convert.Llama2cConverter;
import dev.lopper.convert.Llama2cHeader;
import dev.lopper.io.Json;
import dev.lopper.io.OutputFolder;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lopper convert}: a llama2.c checkpoint and tokenizer as a Hugging Face Llama folder. */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Convert a llama2.c checkpoint (karpathy/llama2.c: the stories15M/42M/110M/260K",
      "tinyllamas, or any model its export.py wrote) and its tokenizer into a Hugging Face",
      "Llama folder that Lopper and transformers load: config.json, generation_config.json,",
      "model.safetensors (float32) and tokenizer.json, tokenizer_config.json,",
      "special_tokens_map.json.",
      "",
      "Checkpoints: the legacy header (version 0, what run.c reads) and export.py's version 1",
      "(float32) and version 2 (Q8_0 int8, dequantised to float32) headers. The query and key",
      "rows are reordered from llama2.c's interleaved rotary pairs to transformers' halves,",
      "which leaves the model's outputs unchanged.",
      "",
      "Tokenizers: a SentencePiece .model, or llama2.c's tokenizer .bin (which does not store",
      "the normaliser's rules: SentencePiece's defaults are assumed, as llama2.c trains with).",
      "Without --tokenizer, tok<vocab>.model, tokenizer.model, tok<vocab>.bin or tokenizer.bin",
      "next to the checkpoint is used. Texts get BOS (<s>) first, as llama2.c's run.c does.",
      "",
      "Examples:",
      "  lopper convert stories260K.bin --tokenizer tok512.model --out models/stories260K",
      "  lopper generate --model models/stories260K --prompt \"Once upon a time\" -n 40"
    })
final class ConvertCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "The llama2.c .bin checkpoint.")
  Path checkpoint;

  @Option(
      names = {"-o", "--out"},
      required = true,
      paramLabel = "DIR",
      description = "Folder to create (must not exist, or be empty).")
  Path out;

  @Option(
      names = {"-t", "--tokenizer"},
      paramLabel = "FILE",
      description =
          "SentencePiece .model or llama2.c tokenizer .bin (default: found next to the"
              + " checkpoint).")
  Path tokenizer;

  @Mixin FormatOption format;

  @Override
  public Integer call() {
    OutputFolder.check(out, "--out");
    Llama2cConverter.Result r = Llama2cConverter.convert(checkpoint, tokenizer, out);
    Llama2cHeader h = r.header();
    ObjectNode o = Json.object();
    o.put("folder", r.folder().toString());
    o.put("checkpoint", checkpoint.toString());
    o.put("llama2c_version", h.version());
    o.put("tokenizer", r.tokenizer().toString());
    o.put("parameters", r.parameters());
    o.set("config", r.config());
    format.print(
        o,
        String.format(
            "converted %s (%s)%n  with %s%n  into %s (llama, %,d parameters)",
            checkpoint, h, r.tokenizer(), r.folder(), r.parameters()));
    return 0;
  }
}
