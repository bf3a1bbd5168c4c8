package dev.lopper.text;

import dev.lopper.LopperException;
import java.util.List;
import java.util.Optional;

/**
 * What a SentencePiece BPE tokenizer is made of: its pieces in id order (string, score, type), the
 * special ids and the whitespace rules of its normaliser. {@link SentencePieceProto} reads it from
 * a {@code .model} file; llama2.c's tokenizer {@code .bin} gives the same pieces.
 *
 * @param source the file it was read from, for messages
 * @param addDummyPrefix a space is put before the text (so a first word looks like any other)
 * @param removeExtraWhitespaces leading and trailing spaces are dropped, runs of spaces collapsed
 */
public record SentencePieceModel(
    String source,
    List<Piece> pieces,
    int unkId,
    int bosId,
    int eosId,
    boolean byteFallback,
    boolean addDummyPrefix,
    boolean removeExtraWhitespaces) {

  /** SentencePiece's piece types (sentencepiece_model.proto). */
  public enum Type {
    NORMAL,
    UNKNOWN,
    CONTROL,
    USER_DEFINED,
    UNUSED,
    BYTE;

    static Type of(int protoValue, String source) {
      if (protoValue < 1 || protoValue > values().length) {
        throw new LopperException(
            source + ": unknown SentencePiece piece type " + protoValue + " (expected 1-6)");
      }
      return values()[protoValue - 1];
    }
  }

  public record Piece(String piece, float score, Type type) {}

  public SentencePieceModel {
    pieces = List.copyOf(pieces);
    for (int id : new int[] {unkId, bosId, eosId}) {
      if (id >= pieces.size()) {
        throw new LopperException(
            source + ": special id " + id + " is outside the " + pieces.size() + " pieces");
      }
    }
  }

  public int size() {
    return pieces.size();
  }

  /** The piece of a special id (-1: the model has none). */
  public Optional<String> piece(int id) {
    return id < 0 ? Optional.empty() : Optional.of(pieces.get(id).piece());
  }
}
