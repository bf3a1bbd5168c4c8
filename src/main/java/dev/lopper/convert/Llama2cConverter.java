package dev.lopper.convert;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import dev.lopper.io.AtomicFiles;
import dev.lopper.io.Json;
import dev.lopper.model.ModelConfig;
import dev.lopper.model.ModelIO;
import dev.lopper.model.io.ShardedCheckpoint;
import dev.lopper.text.SentencePieceModel;
import dev.lopper.text.SentencePieceProto;
import dev.lopper.text.SentencePieceTokenizerJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A llama2.c checkpoint and its tokenizer as a Hugging Face Llama folder: config.json,
 * generation_config.json, model.safetensors (float32) and the tokenizer files. Everything is
 * checked first (header against file size, tokenizer against vocab_size, the config through
 * Lopper's own reader) and the folder appears complete or not at all.
 */
public final class Llama2cConverter {
  private Llama2cConverter() {}

  /** What was converted. */
  public record Result(
      Path folder, Llama2cHeader header, Path tokenizer, long parameters, ObjectNode config) {}

  /**
   * The tokenizer llama2.c keeps next to a model when none is named: a SentencePiece .model first
   * (it carries the normaliser's rules), then llama2.c's .bin.
   */
  public static Path findTokenizer(Path checkpoint, int vocabSize) {
    Path dir = checkpoint.toAbsolutePath().getParent();
    List<String> names =
        List.of(
            "tok" + vocabSize + ".model",
            "tokenizer.model",
            "tok" + vocabSize + ".bin",
            "tokenizer.bin");
    for (String n : names) {
      Path p = dir.resolve(n);
      if (Files.isRegularFile(p) && !p.equals(checkpoint.toAbsolutePath())) {
        return p;
      }
    }
    throw new LopperException(
        checkpoint
            + ": no tokenizer next to it (looked for "
            + String.join(", ", names)
            + " in "
            + dir
            + "); name one with --tokenizer");
  }

  /** Reads a tokenizer: SentencePiece .model (a protocol buffer), else llama2.c's .bin. */
  public static SentencePieceModel readTokenizer(Path file) {
    return file.getFileName().toString().endsWith(".model")
        ? SentencePieceProto.read(file)
        : Llama2cTokenizer.read(file);
  }

  public static Result convert(Path checkpoint, Path tokenizer, Path out) {
    if (Files.isDirectory(out)) {
      try (Stream<Path> s = Files.list(out)) {
        if (s.findAny().isPresent()) {
          throw new LopperException(
              out + ": already exists and is not empty; choose another " + "--out");
        }
      } catch (IOException e) {
        throw new LopperException(out + ": cannot read: " + e.getMessage());
      }
    } else if (Files.exists(out)) {
      throw new LopperException(out + ": exists and is not a folder; choose another --out");
    }
    try (Llama2cCheckpoint c = Llama2cCheckpoint.open(checkpoint)) {
      Llama2cHeader h = c.header();
      Path tokFile = tokenizer != null ? tokenizer : findTokenizer(checkpoint, h.vocabSize());
      SentencePieceModel sp = readTokenizer(tokFile);
      if (sp.size() != h.vocabSize()) {
        throw new LopperException(
            tokFile
                + ": the tokenizer has "
                + sp.size()
                + " pieces, but "
                + checkpoint
                + "'s vocab_size is "
                + h.vocabSize());
      }
      Llama2cToHf.checkRope(c);
      ObjectNode config = config(h, sp);
      ModelConfig parsed = ModelConfig.parse(config.deepCopy(), checkpoint + " (converted config)");
      AtomicFiles.writeFolder(
          out,
          tmp -> {
            Files.writeString(tmp.resolve("config.json"), Json.pretty(config) + "\n");
            Files.writeString(
                tmp.resolve("generation_config.json"), Json.pretty(generationConfig(sp)) + "\n");
            try (NDManager m = NDManager.newBaseManager()) {
              ShardedCheckpoint.write(tmp, Llama2cToHf.tensors(c, m), ModelIO.MAX_SHARD_BYTES);
            }
            SentencePieceTokenizerJson.write(sp, h.seqLen(), tmp);
            ConvertCard.build(checkpoint, tokFile, h, parsed).writeTo(tmp);
          });
      return new Result(out, h, tokFile, parsed.parameterCount(), config);
    }
  }

  /** config.json as transformers' LlamaConfig writes it, with llama2.c's fixed choices. */
  static ObjectNode config(Llama2cHeader h, SentencePieceModel sp) {
    ObjectNode c = Json.object();
    c.putArray("architectures").add("LlamaForCausalLM");
    c.put("model_type", "llama");
    c.put("hidden_size", h.dim());
    c.put("intermediate_size", h.hiddenDim());
    c.put("num_hidden_layers", h.layers());
    c.put("num_attention_heads", h.heads());
    c.put("num_key_value_heads", h.kvHeads());
    c.put("head_dim", h.headDim());
    c.put("vocab_size", h.vocabSize());
    c.put("max_position_embeddings", h.seqLen());
    c.put("hidden_act", "silu");
    c.put("rms_norm_eps", 1e-5); // run.c's and model.py's
    c.put("rope_theta", Llama2cToHf.ROPE_THETA);
    c.putObject("rope_parameters")
        .put("rope_type", "default")
        .put("rope_theta", Llama2cToHf.ROPE_THETA);
    c.put("attention_bias", false);
    c.put("mlp_bias", false);
    c.put("attention_dropout", 0.0);
    c.put("initializer_range", 0.02);
    c.put("tie_word_embeddings", h.sharedClassifier());
    tokenId(c, "bos_token_id", sp.bosId());
    tokenId(c, "eos_token_id", sp.eosId());
    c.put("use_cache", true);
    c.put("dtype", "float32");
    return c;
  }

  private static ObjectNode generationConfig(SentencePieceModel sp) {
    ObjectNode g = Json.object();
    tokenId(g, "bos_token_id", sp.bosId());
    tokenId(g, "eos_token_id", sp.eosId());
    return g;
  }

  private static void tokenId(ObjectNode o, String key, int id) {
    if (id >= 0) {
      o.put(key, id);
    } else {
      o.putNull(key);
    }
  }
}
