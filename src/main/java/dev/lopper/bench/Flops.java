package dev.lopper.bench;

import dev.lopper.model.ModelConfig;

/**
 * Multiply-add FLOPs of one forward pass, counting the matrix products (everything else is a
 * rounding error at these sizes). The ratio dense / shrunk is the ideal speedup of a pruned model.
 */
public final class Flops {
  private Flops() {}

  public static double forward(ModelConfig c, long batch, long seq) {
    double tokens = (double) batch * seq;
    double d = c.hidden();
    double q = c.queryDim();
    double kv = c.kvDim(); // smaller than q under grouped-query attention
    int mlpMatrices = c.family().llamaLike ? 3 : 2; // gate, up, down or in, out
    double total = 2 * tokens * d * c.vocabSize(); // head
    for (int l = 0; l < c.layers(); l++) {
      double ff = c.mlpWidth(l);
      total += 2 * tokens * (d * (q + 2 * kv) + q * d); // qkv and output projections
      total += 2 * 2 * tokens * seq * q; // scores and context (all key positions, every query head)
      total += 2 * mlpMatrices * tokens * d * ff; // MLP
    }
    return total;
  }
}
