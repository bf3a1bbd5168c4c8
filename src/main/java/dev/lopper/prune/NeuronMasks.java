package dev.lopper.prune;

import java.util.Arrays;
import java.util.stream.IntStream;

/** Which MLP neurons of each layer are kept: keep[layer][neuron]. */
public record NeuronMasks(boolean[][] keep) {

  public static NeuronMasks all(int[] widths) {
    boolean[][] k = new boolean[widths.length][];
    for (int l = 0; l < widths.length; l++) {
      k[l] = new boolean[widths[l]];
      Arrays.fill(k[l], true);
    }
    return new NeuronMasks(k);
  }

  public int layers() {
    return keep.length;
  }

  public int kept(int layer) {
    int n = 0;
    for (boolean b : keep[layer]) {
      n += b ? 1 : 0;
    }
    return n;
  }

  public int[] keptPerLayer() {
    int[] k = new int[keep.length];
    for (int l = 0; l < k.length; l++) {
      k[l] = kept(l);
    }
    return k;
  }

  public int totalKept() {
    return Arrays.stream(keptPerLayer()).sum();
  }

  public int total() {
    return Arrays.stream(keep).mapToInt(a -> a.length).sum();
  }

  public double leftover() {
    return (double) totalKept() / total();
  }

  /** Indices of the kept neurons of a layer, ascending. */
  public long[] keptIndices(int layer) {
    return IntStream.range(0, keep[layer].length)
        .filter(i -> keep[layer][i])
        .asLongStream()
        .toArray();
  }

  /** The mask as floats (1 kept, 0 pruned). */
  public float[] asFloats(int layer) {
    float[] f = new float[keep[layer].length];
    for (int i = 0; i < f.length; i++) {
      f[i] = keep[layer][i] ? 1f : 0f;
    }
    return f;
  }
}
