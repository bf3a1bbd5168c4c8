package dev.lopper.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Loads and calls the tiny TorchScript modules (one pure function each, made by
 * scripts/make_fused_ops.py) through which Lopper reaches libtorch kernels that DJL does not
 * expose. A call records autograd like any op.
 */
public final class ScriptModules {
  private static PtNDManager manager; // the modules live as long as the JVM

  private ScriptModules() {}

  /** The module {@code fused/NAME.pt} beside {@code owner}'s class in the jar. */
  public static synchronized PtSymbolBlock load(Class<?> owner, String name) throws IOException {
    if (manager == null) {
      manager = (PtNDManager) NDManager.newBaseManager();
    }
    Path tmp = Files.createTempFile("lopper-" + name, ".pt");
    try (InputStream in = owner.getResourceAsStream("fused/" + name + ".pt")) {
      if (in == null) {
        throw new IOException("fused/" + name + ".pt is missing from the jar");
      }
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      return JniUtils.loadModule(manager, tmp, false, new String[0], new String[0], false);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The module's one result. */
  public static NDArray call(PtSymbolBlock module, NDArray... inputs) {
    return run(module, inputs).singletonOrThrow();
  }

  /** The module's results, in the order its forward returns them. */
  public static NDList run(PtSymbolBlock module, NDArray... inputs) {
    // always "training": inference mode would make tensors that autograd refuses later (a
    // teacher's logits in a distillation loss); grad mode alone decides what is recorded
    // DJL reads a dotted array name as a dict key: parameters go in unnamed for the call
    String[] names = new String[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      names[i] = inputs[i].getName();
      if (names[i] != null) {
        inputs[i].setName(null);
      }
    }
    try {
      return IValueUtils.forward(module, new NDList(inputs), true);
    } finally {
      for (int i = 0; i < inputs.length; i++) {
        if (names[i] != null) {
          inputs[i].setName(names[i]);
        }
      }
    }
  }
}
