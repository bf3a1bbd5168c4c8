package dev.lopper.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import dev.lopper.io.Json;
import dev.lopper.io.OutputFolder;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ModelConfig;
import dev.lopper.model.ModelIO;
import dev.lopper.model.NewModel;
import dev.lopper.model.Weights;
import dev.lopper.text.ByteLevelTokenizerJson;
import dev.lopper.text.ByteTokenizer;
import dev.lopper.text.Tokenizer;
import dev.lopper.text.Tokenizers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lopper init}: a fresh, randomly initialised model folder (GPT-2 or Llama) to pretrain. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Create a randomly initialised GPT-2 or Llama model (GPT-2's initialisation) as a",
      "Hugging Face folder, to pretrain with `lopper finetune`. The default tokenizer maps UTF-8",
      "bytes to ids 0-255 (+ <|endoftext|> 256) and is written as tokenizer.json.",
      "",
      "Examples:",
      "  lopper init --preset tiny --out models/tiny && lopper finetune --model models/tiny --data"
          + " corpus.txt --steps 500 --out runs/pretrain",
      "  lopper init --family llama --kv-heads 2 --out models/tiny-llama"
    })
final class InitCommand implements Callable<Integer> {
  @Option(
      names = {"-o", "--out"},
      required = true,
      paramLabel = "DIR",
      description = "Model folder to create.")
  Path out;

  @Option(
      names = "--preset",
      defaultValue = "tiny",
      description =
          "tiny (4 x 128, ff 512), small (6 x 256, ff 1024) or gpt2-small (default:"
              + " ${DEFAULT-VALUE}).")
  String preset;

  @Option(
      names = "--family",
      defaultValue = "gpt2",
      paramLabel = "gpt2|llama",
      description =
          "gpt2, or llama (RMSNorm, rotary positions, gated MLP, tied head) (default:"
              + " ${DEFAULT-VALUE}).")
  String family;

  @Option(
      names = "--kv-heads",
      description = "llama: key/value heads (grouped-query attention; default: --heads).")
  Integer kvHeads;

  @Option(names = "--layers", description = "Override the preset's layer count.")
  Integer layers;

  @Option(names = "--hidden", description = "Override the hidden size.")
  Integer hidden;

  @Option(names = "--heads", description = "Override the attention heads.")
  Integer heads;

  @Option(names = "--ffn", description = "Override the MLP width.")
  Integer ffn;

  @Option(names = "--positions", description = "Override the context length.")
  Integer positions;

  @Option(
      names = "--tokenizer",
      defaultValue = "bytes",
      paramLabel = "bytes|FOLDER",
      description =
          "bytes, or a folder holding tokenizer.json / vocab.json + merges.txt (default:"
              + " ${DEFAULT-VALUE}).")
  String tokenizer;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "Initialisation seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin FormatOption format;

  @Override
  public Integer call() throws Exception {
    OutputFolder.check(out, "--out");
    if (Files.exists(out.resolve("config.json"))) {
      throw new LopperException(
          out + ": already holds a model (config.json); choose another --out");
    }
    NewModel.Shape p = NewModel.preset(preset);
    NewModel.Shape s =
        new NewModel.Shape(
            or(layers, p.layers()),
            or(hidden, p.hidden()),
            or(heads, p.heads()),
            or(ffn, p.ffn()),
            or(positions, p.positions()));
    Path tokFolder = tokenizer.equals("bytes") ? null : Path.of(tokenizer);
    int vocab = ByteTokenizer.VOCAB_SIZE;
    int eos = ByteTokenizer.EOS;
    int bos = eos;
    if (tokFolder != null) {
      Tokenizer t = Tokenizers.load(tokFolder);
      vocab = t.vocabSize();
      eos = t.eosId();
      bos = t.bosId() >= 0 ? t.bosId() : eos;
    }
    ModelConfig c =
        switch (family) {
          case "gpt2" -> {
            if (kvHeads != null) {
              throw new LopperException("--kv-heads applies to --family llama only");
            }
            yield NewModel.gpt2(s, vocab, eos);
          }
          case "llama" -> NewModel.llama(s, or(kvHeads, s.heads()), vocab, bos, eos);
          default ->
              throw new LopperException("--family must be gpt2 or llama, found \"" + family + "\"");
        };
    try (NDManager m = NDManager.newBaseManager();
        CausalLM model = new CausalLM(c, Weights.init(c, seed, m))) {
      ModelIO.save(model, out, tokFolder);
    }
    if (tokFolder == null) {
      ByteLevelTokenizerJson.write(out.resolve("tokenizer.json"));
    }
    ObjectNode o = Json.object();
    o.put("folder", out.toString());
    o.put("parameters", c.parameterCount());
    format.print(o, String.format("created %s (%s, %,d parameters)", out, c, c.parameterCount()));
    return 0;
  }

  private static int or(Integer v, int dflt) {
    return v == null ? dflt : v;
  }
}
