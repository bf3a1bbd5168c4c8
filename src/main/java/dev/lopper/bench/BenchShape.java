package dev.lopper.bench;

import dev.lopper.LopperException;
import dev.lopper.model.ModelConfig;
import dev.lopper.model.NewModel;

/** A GPT-2-style shape to time: layers, hidden size, heads, sequence length, batch (MLP 4x). */
public record BenchShape(int layers, int hidden, int heads, int seq, int batch) {
  public BenchShape {
    if (layers < 1 || hidden < 1 || heads < 1 || seq < 1 || batch < 1) {
      throw new LopperException(
          "a bench shape needs positive numbers, found "
              + layers
              + ","
              + hidden
              + ","
              + heads
              + ","
              + seq
              + ","
              + batch);
    }
    if (hidden % heads != 0) {
      throw new LopperException(
          "hidden size " + hidden + " is not a multiple of " + heads + " heads");
    }
  }

  /** Parses {@code layers,hidden,heads,seq,batch}, e.g. {@code 6,256,4,256,8}. */
  public static BenchShape parse(String text, String option) {
    String[] p = text.split(",");
    if (p.length != 5) {
      throw new LopperException(
          option + " expects layers,hidden,heads,seq,batch (5 numbers), found \"" + text + "\"");
    }
    try {
      return new BenchShape(
          Integer.parseInt(p[0].trim()),
          Integer.parseInt(p[1].trim()),
          Integer.parseInt(p[2].trim()),
          Integer.parseInt(p[3].trim()),
          Integer.parseInt(p[4].trim()));
    } catch (NumberFormatException e) {
      throw new LopperException(option + " expects whole numbers, found \"" + text + "\"");
    }
  }

  public ModelConfig config(int vocab) {
    return NewModel.gpt2(new NewModel.Shape(layers, hidden, heads, 4 * hidden, seq), vocab, 0);
  }

  BenchModel model(int vocab) {
    return new BenchModel(config(vocab), seq, batch, toString());
  }

  public long tokens() {
    return (long) seq * batch;
  }

  @Override
  public String toString() {
    return layers + "," + hidden + "," + heads + "," + seq + "," + batch;
  }
}
