package dev.lopper.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.lopper.LopperException;
import dev.lopper.model.Bf16Support;
import dev.lopper.model.Devices;
import dev.lopper.model.FusedOps;
import dev.lopper.model.Precision;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine.Option;

/**
 * {@code --precision fp32|bf16|auto} and {@code --device auto|cpu|cuda[:N]}: where a command's
 * model runs and the number type of its matrix products. Shared by the commands that run a model.
 */
public final class PrecisionOptions {
  @Option(
      names = "--precision",
      paramLabel = "P",
      description =
          "Matrix products in fp32, bf16 (autocast's rules: linear layers, attention and the"
              + " head in bf16; weights, gradients, norms, softmax, losses, optimizer and scores"
              + " in float32) or auto: bf16 where the device multiplies it natively"
              + " (default: fp32; bench: auto).")
  String precision;

  @Option(
      names = "--device",
      defaultValue = "auto",
      paramLabel = "D",
      description =
          "auto (the first GPU when libtorch has CUDA and sees one, else the CPU), cpu, cuda or"
              + " cuda:N (default: ${DEFAULT-VALUE}).")
  String device = "auto";

  /** The resolved choice. */
  public record Choice(Device device, Precision precision) {}

  private static final Set<String> SAID = ConcurrentHashMap.newKeySet();

  private Choice resolved; // once per command: a command may check its options before it runs

  /** The precision asked for (fp32 when none was) on the device asked for, checked. */
  public Choice resolve() {
    return resolve("fp32");
  }

  /**
   * Resolves both options, {@code fallback} standing for an absent --precision: makes the device
   * the engine's default, warns where bf16 would be emulated (saying how slow, measured), and says
   * on stderr what auto chose.
   */
  public Choice resolve(String fallback) {
    if (resolved == null) {
      resolved = choose(fallback);
    }
    return resolved;
  }

  private Choice choose(String fallback) {
    String asked = precision == null ? fallback : precision;
    Precision p = asked.equals("auto") ? null : Precision.of(asked);
    if (p == null && !asked.equals("auto")) {
      throw new LopperException(
          "--precision: expected fp32, bf16 or auto, found \"" + asked + "\"");
    }
    Device d = Devices.use(device);
    if (p == Precision.FP32) {
      return new Choice(d, p);
    }
    if (p == null && !FusedOps.available()) {
      System.err.println("--precision auto: fp32 (the TorchScript kernels bf16 runs in are off)");
      return new Choice(d, Precision.FP32);
    }
    if (!FusedOps.available()) {
      throw new LopperException(
          "--precision "
              + asked
              + ": bf16 runs inside Lopper's TorchScript kernels, which are off"
              + " (-Dlopper.fused=false) or failed to load");
    }
    boolean native16 = Bf16Support.isNative(d);
    if (p == null) {
      p = native16 ? Precision.BF16 : Precision.FP32;
      String note =
          "--precision auto: "
              + p.label()
              + " ("
              + Bf16Support.describe(d)
              + (native16 ? " multiplies bf16 natively)" : " has no bf16 matrix units)");
      if (SAID.add(note)) { // a grid checks every run's options in one process: say it once
        System.err.println(note);
      }
      return new Choice(d, p);
    }
    if (!native16) {
      // allowed (the numbers are bf16's all the same), but not silently slow
      double speedup;
      try (NDManager m = NDManager.newBaseManager(d)) {
        speedup = Bf16Support.measuredSpeedup(m);
      }
      System.err.printf(
          "warning: --precision bf16: %s has no bf16 matrix units, so libtorch emulates the bf16"
              + " products, measured here at %.2fx float32's speed; --precision fp32 (or auto)"
              + " runs faster here%n",
          Bf16Support.describe(d), speedup);
    }
    return new Choice(d, p);
  }
}
