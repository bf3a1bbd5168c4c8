package dev.lopper.bench;

import dev.lopper.model.ModelConfig;
import dev.lopper.model.Precision;

/**
 * One model to time: its config (family, widths, vocabulary, head), the (batch, seq) of the ids it
 * runs on and the precision of its matrix products; {@code shape} is how the report and the peer's
 * command line write it.
 */
record BenchModel(ModelConfig config, int seq, int batch, String shape, Precision precision) {
  BenchModel(ModelConfig config, int seq, int batch, String shape) {
    this(config, seq, batch, shape, Precision.FP32);
  }

  long tokens() {
    return (long) seq * batch;
  }

  /** The same model with its products in bf16. */
  BenchModel bf16() {
    return new BenchModel(config, seq, batch, shape, Precision.BF16);
  }
}
