package dev.lopper.text;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.io.AtomicFiles;
import dev.lopper.io.Json;
import java.nio.file.Path;
import java.util.List;

/**
 * A tokenizer.json whose ids are the UTF-8 bytes of the text (0..255) plus {@code <|endoftext|>} =
 * 256: GPT-2's byte-level BPE with no merges. It gives the same ids as {@link ByteTokenizer}, and
 * Hugging Face tokenizers load it as is, so tiny demo models export like any other model.
 */
public final class ByteLevelTokenizerJson {
  private ByteLevelTokenizerJson() {}

  public static void write(Path file) {
    ObjectNode vocab = Json.object();
    for (int b = 0; b < 256; b++) {
      vocab.put(new String(Character.toChars(byteToUnicode(b))), b);
    }
    vocab.put("<|endoftext|>", ByteTokenizer.EOS);
    String json = Gpt2TokenizerJson.build(vocab, List.of());
    AtomicFiles.writeString(file, json);
  }

  /**
   * GPT-2's reversible byte -> unicode map: printable Latin-1 bytes stand for themselves, the
   * others are moved to 256 + n so that no byte is whitespace or a control character.
   */
  static int byteToUnicode(int b) {
    if ((b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)) {
      return b;
    }
    int n = 0;
    for (int x = 0; x < b; x++) {
      if (!((x >= '!' && x <= '~') || (x >= 0xA1 && x <= 0xAC) || (x >= 0xAE && x <= 0xFF))) {
        n++;
      }
    }
    return 256 + n;
  }
}
