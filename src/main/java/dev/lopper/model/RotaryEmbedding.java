package dev.lopper.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embeddings in the rotate-half form of Hugging Face's Llama: the two halves of a
 * head are the pairs, q' = q cos + rotate_half(q) sin with angles position x inverse frequency. The
 * cos/sin tables are computed in Java for the positions of one forward pass (a few thousand
 * values), so no table of max_position_embeddings rows is kept.
 */
final class RotaryEmbedding {
  private final int headDim;
  private final double[] inverseFrequencies; // (head_dim / 2)

  RotaryEmbedding(Rope rope, int headDim) {
    this.headDim = headDim;
    this.inverseFrequencies = rope.inverseFrequencies(headDim);
  }

  /** cos and sin (batch, 1, time, head_dim) for int64 positions (batch, time), in {@code m}. */
  NDArray[] tables(NDArray positions, NDManager m) {
    long[] pos = positions.toLongArray();
    Shape s = positions.getShape();
    long batch = s.get(0);
    long time = s.get(1);
    int half = headDim / 2;
    float[] cos = new float[pos.length * headDim];
    float[] sin = new float[pos.length * headDim];
    for (int p = 0; p < pos.length; p++) {
      for (int j = 0; j < half; j++) {
        // float32 angles, as transformers computes them
        float angle = (float) pos[p] * (float) inverseFrequencies[j];
        float c = (float) Math.cos(angle);
        float sn = (float) Math.sin(angle);
        cos[p * headDim + j] = c;
        cos[p * headDim + half + j] = c;
        sin[p * headDim + j] = sn;
        sin[p * headDim + half + j] = sn;
      }
    }
    Shape shape = new Shape(batch, 1, time, headDim);
    return new NDArray[] {Ops.owned(m, cos, shape), Ops.owned(m, sin, shape)};
  }

  /** x (batch, heads, time, head_dim) rotated by its positions' angles. */
  static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
    NDList halves = x.split(2, 3);
    NDArray rotated = halves.get(1).neg().concat(halves.get(0), 3);
    return x.mul(cos).add(rotated.mul(sin));
  }
}
