package dev.lopper.bench;

import dev.lopper.model.ModelConfig;

/**
 * One model to time: its config (family, widths, vocabulary, head) and the (batch, seq) of the ids
 * it runs on; {@code shape} is how the report and the peer's command line write it.
 */
record BenchModel(ModelConfig config, int seq, int batch, String shape) {
  long tokens() {
    return (long) seq * batch;
  }
}
