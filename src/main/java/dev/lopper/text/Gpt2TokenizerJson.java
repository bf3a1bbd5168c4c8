package dev.lopper.text;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import dev.lopper.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tokenizer.json equivalent of GPT-2's vocab.json + merges.txt: a BPE model behind a byte-level
 * pre-tokenizer (GPT-2's regex, no prefix space) and decoder, with {@code <|endoftext|>} as a
 * special token when the vocabulary has it.
 */
final class Gpt2TokenizerJson {
  private Gpt2TokenizerJson() {}

  static List<String> readMerges(Path mergesTxt) {
    List<String> merges = new ArrayList<>();
    try {
      int n = 0;
      for (String line : Files.readAllLines(mergesTxt, StandardCharsets.UTF_8)) {
        n++;
        if (line.startsWith("#version") || line.isBlank()) {
          continue;
        }
        if (line.split(" ").length != 2) {
          throw new LopperException(
              mergesTxt
                  + ":"
                  + n
                  + ": expected two tokens separated by a "
                  + "space, found \""
                  + line
                  + "\"");
        }
        merges.add(line);
      }
    } catch (IOException e) {
      throw new LopperException(mergesTxt + ": cannot read: " + e.getMessage());
    }
    return merges;
  }

  static String build(ObjectNode vocab, List<String> merges) {
    ObjectNode root = Json.object();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    if (vocab.has("<|endoftext|>")) {
      ObjectNode eos = added.addObject();
      eos.put("id", vocab.get("<|endoftext|>").asInt());
      eos.put("content", "<|endoftext|>");
      eos.put("single_word", false);
      eos.put("lstrip", false);
      eos.put("rstrip", false);
      eos.put("normalized", true);
      eos.put("special", true);
    }
    root.putNull("normalizer");
    root.set("pre_tokenizer", byteLevel());
    root.set("post_processor", byteLevel());
    root.set("decoder", byteLevel());
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.putNull("unk_token");
    model.put("continuing_subword_prefix", "");
    model.put("end_of_word_suffix", "");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    model.set("vocab", vocab);
    ArrayNode m = model.putArray("merges");
    merges.forEach(m::add);
    return Json.compact(root);
  }

  private static ObjectNode byteLevel() {
    ObjectNode b = Json.object();
    b.put("type", "ByteLevel");
    b.put("add_prefix_space", false);
    b.put("trim_offsets", false);
    b.put("use_regex", true);
    return b;
  }
}
