package dev.lopper.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/** How one family names and lays out its tensors in a Hugging Face checkpoint. */
public interface HfLayout {
  /** Reads every parameter of {@code c} from {@code src}, converting to Lopper's layout. */
  Weights read(ModelConfig c, TensorSource src, NDManager parent);

  /** Hugging Face name to tensor, new arrays in {@code scratch}, in the family's layout. */
  Map<String, NDArray> write(ModelConfig c, Weights w, NDManager scratch);

  static HfLayout of(Family f) {
    if (f.llamaLike) {
      return new LlamaLayout();
    }
    return f == Family.GPT2 ? new Gpt2Layout() : new GptNeoLayout();
  }
}
