package dev.lopper.text;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import dev.lopper.io.Json;
import dev.lopper.text.SentencePieceModel.Piece;
import dev.lopper.text.SentencePieceModel.Type;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A SentencePiece BPE model as the Hugging Face files of a Llama tokenizer: tokenizer.json (a BPE
 * model with byte fallback behind SentencePiece's whitespace rules), tokenizer_config.json and
 * special_tokens_map.json. Hugging Face tokenizers, and so Lopper and transformers, then give the
 * ids SentencePiece gives.
 *
 * <p>The merges are those transformers' LlamaConverter derives: every split of a piece into two
 * pieces, the pairs ranked by the score of the piece they make (SentencePiece's BPE merges the
 * best-scoring pair first), ties by id, then by where the split falls. SentencePiece's whitespace
 * rules become the normaliser: spaces trimmed and collapsed (when the model says so), then "▁"
 * before the text and for every space. transformers' PreTrainedTokenizerFast uses this file as it
 * is (its LlamaTokenizer would rebuild the normaliser and lose the trimming rule).
 */
public final class SentencePieceTokenizerJson {
  static final String SPACE = "\u2581";

  private SentencePieceTokenizerJson() {}

  /** Writes the three tokenizer files into {@code folder}. */
  public static void write(SentencePieceModel m, int modelMaxLength, Path folder)
      throws IOException {
    Files.writeString(
        folder.resolve("tokenizer.json"),
        Json.compact(tokenizerJson(m)) + "\n",
        StandardCharsets.UTF_8);
    Files.writeString(
        folder.resolve("tokenizer_config.json"),
        Json.pretty(tokenizerConfig(m, modelMaxLength)) + "\n",
        StandardCharsets.UTF_8);
    Files.writeString(
        folder.resolve("special_tokens_map.json"),
        Json.pretty(specialTokens(m)) + "\n",
        StandardCharsets.UTF_8);
  }

  static ObjectNode tokenizerJson(SentencePieceModel m) {
    ObjectNode root = Json.object();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (int id = 0; id < m.size(); id++) {
      Piece p = m.pieces().get(id);
      if (p.type() == Type.UNKNOWN || p.type() == Type.CONTROL || p.type() == Type.USER_DEFINED) {
        ObjectNode t = added.addObject();
        t.put("id", id);
        t.put("content", p.piece());
        t.put("single_word", false);
        t.put("lstrip", false);
        t.put("rstrip", false);
        t.put("normalized", false);
        t.put("special", p.type() != Type.USER_DEFINED);
      }
    }
    root.set("normalizer", normalizer(m));
    root.putNull("pre_tokenizer");
    if (m.bosId() >= 0) {
      root.set("post_processor", bosTemplate(m.pieces().get(m.bosId()).piece(), m.bosId()));
    } else {
      root.putNull("post_processor");
    }
    root.set("decoder", decoder(m));
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    if (m.unkId() >= 0) {
      model.put("unk_token", m.pieces().get(m.unkId()).piece());
    } else {
      model.putNull("unk_token");
    }
    model.putNull("continuing_subword_prefix");
    model.putNull("end_of_word_suffix");
    model.put("fuse_unk", true);
    model.put("byte_fallback", m.byteFallback());
    ObjectNode vocab = model.putObject("vocab");
    for (int id = 0; id < m.size(); id++) {
      vocab.put(m.pieces().get(id).piece(), id);
    }
    ArrayNode merges = model.putArray("merges");
    for (String[] pair : merges(m)) {
      merges.addArray().add(pair[0]).add(pair[1]);
    }
    return root;
  }

  /** Every (left, right) pair of pieces that makes a piece, in the order BPE applies them. */
  static List<String[]> merges(SentencePieceModel m) {
    Map<String, Integer> ids = new HashMap<>();
    for (int id = 0; id < m.size(); id++) {
      Integer before = ids.putIfAbsent(m.pieces().get(id).piece(), id);
      if (before != null) {
        throw new LopperException(
            m.source()
                + ": piece \""
                + m.pieces().get(id).piece()
                + "\" appears twice (ids "
                + before
                + " and "
                + id
                + ")");
      }
    }
    record Merge(String left, String right, float score, int id, int split) {}
    List<Merge> all = new ArrayList<>();
    for (int id = 0; id < m.size(); id++) {
      Piece p = m.pieces().get(id);
      int[] cps = p.piece().codePoints().toArray();
      for (int k = 1; k < cps.length; k++) {
        String left = new String(cps, 0, k);
        String right = new String(cps, k, cps.length - k);
        if (ids.containsKey(left) && ids.containsKey(right)) {
          all.add(new Merge(left, right, p.score() + 0f, id, k)); // + 0f: -0 ties with 0
        }
      }
    }
    all.sort(
        Comparator.comparingDouble((Merge x) -> -x.score())
            .thenComparingInt(Merge::id)
            .thenComparingInt(Merge::split));
    List<String[]> out = new ArrayList<>(all.size());
    all.forEach(x -> out.add(new String[] {x.left(), x.right()}));
    return out;
  }

  private static ObjectNode normalizer(SentencePieceModel m) {
    ObjectNode seq = Json.object();
    seq.put("type", "Sequence");
    ArrayNode list = seq.putArray("normalizers");
    if (m.removeExtraWhitespaces()) {
      list.add(replace(regex("\\A +| +\\z"), ""));
      list.add(replace(regex(" {2,}"), " "));
    }
    if (m.addDummyPrefix()) {
      list.addObject().put("type", "Prepend").put("prepend", SPACE);
    }
    list.add(replace(string(" "), SPACE));
    return seq;
  }

  private static ObjectNode decoder(SentencePieceModel m) {
    ObjectNode seq = Json.object();
    seq.put("type", "Sequence");
    ArrayNode list = seq.putArray("decoders");
    list.add(replace(string(SPACE), " "));
    list.addObject().put("type", "ByteFallback");
    list.addObject().put("type", "Fuse");
    if (m.addDummyPrefix()) {
      list.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
    }
    return seq;
  }

  /** A post-processor that puts {@code bos} before the text (Llama's "&lt;s&gt; $A"). */
  private static ObjectNode bosTemplate(String bos, int id) {
    ObjectNode p = Json.object();
    p.put("type", "TemplateProcessing");
    ArrayNode single = p.putArray("single");
    single.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 0);
    single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    ArrayNode pair = p.putArray("pair");
    pair.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    pair.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 1);
    pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
    ObjectNode tok = p.putObject("special_tokens").putObject(bos);
    tok.put("id", bos);
    tok.putArray("ids").add(id);
    tok.putArray("tokens").add(bos);
    return p;
  }

  private static ObjectNode tokenizerConfig(SentencePieceModel m, int modelMaxLength) {
    ObjectNode c = Json.object();
    c.put("tokenizer_class", "PreTrainedTokenizerFast");
    c.put("add_bos_token", m.bosId() >= 0);
    c.put("add_eos_token", false);
    special(c, m);
    c.put("clean_up_tokenization_spaces", false);
    c.put("model_max_length", modelMaxLength);
    return c;
  }

  private static ObjectNode specialTokens(SentencePieceModel m) {
    ObjectNode c = Json.object();
    special(c, m);
    return c;
  }

  private static void special(ObjectNode c, SentencePieceModel m) {
    m.piece(m.bosId()).ifPresent(p -> c.put("bos_token", p));
    m.piece(m.eosId()).ifPresent(p -> c.put("eos_token", p));
    m.piece(m.unkId()).ifPresent(p -> c.put("unk_token", p));
  }

  private static ObjectNode replace(ObjectNode pattern, String content) {
    ObjectNode r = Json.object();
    r.put("type", "Replace");
    r.set("pattern", pattern);
    r.put("content", content);
    return r;
  }

  private static ObjectNode regex(String re) {
    ObjectNode p = Json.object();
    p.put("Regex", re);
    return p;
  }

  private static ObjectNode string(String s) {
    ObjectNode p = Json.object();
    p.put("String", s);
    return p;
  }
}
