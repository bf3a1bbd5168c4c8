package dev.lopper.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import dev.lopper.io.Json;
import dev.lopper.prune.NeuronMasks;
import java.nio.file.Path;

/**
 * masks.json: the kept neurons of each layer as ascending indices, with the leftover they give. The
 * run folder holds the exported model's; a checkpoint holds those of the step it was taken at.
 */
final class MaskFile {
  static final String NAME = "masks.json";

  private MaskFile() {}

  static void write(Path file, NeuronMasks masks) {
    ObjectNode o = Json.object();
    o.put("leftover", masks.leftover());
    ArrayNode layers = o.putArray("layers");
    for (int l = 0; l < masks.layers(); l++) {
      ArrayNode a = layers.addArray();
      for (long i : masks.keptIndices(l)) {
        a.add(i);
      }
    }
    Json.write(file, o);
  }

  /** Reads masks of a model with MLP widths {@code widths}, checking that they fit it. */
  static NeuronMasks read(Path file, int[] widths) {
    JsonNode layers = Json.read(file).path("layers");
    if (!layers.isArray() || layers.size() != widths.length) {
      throw new LopperException(
          file
              + ": layers: expected "
              + widths.length
              + " lists of kept neurons, found "
              + (layers.isArray() ? layers.size() : layers.getNodeType()));
    }
    boolean[][] keep = new boolean[widths.length][];
    for (int l = 0; l < widths.length; l++) {
      keep[l] = new boolean[widths[l]];
      int previous = -1;
      for (JsonNode n : layers.get(l)) {
        int i = n.canConvertToInt() ? n.asInt() : -1;
        if (!n.isIntegralNumber() || i <= previous || i >= widths[l]) {
          throw new LopperException(
              file
                  + ": layers["
                  + l
                  + "]: expected ascending neuron "
                  + "indices in [0, "
                  + widths[l]
                  + "), found "
                  + n
                  + " after "
                  + previous);
        }
        keep[l][i] = true;
        previous = i;
      }
    }
    return new NeuronMasks(keep);
  }
}
