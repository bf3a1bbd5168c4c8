package dev.lopper.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.lopper.LopperException;
import java.lang.reflect.Field;

/**
 * The device every array goes to. DJL's engine picks its default device once (the first GPU when
 * its libtorch has CUDA and sees one, else the CPU) and every manager made without a device follows
 * it, so choosing the device means setting that default before the first manager.
 */
public final class Devices {
  private Devices() {}

  /**
   * The device named by {@code option} ({@code --device}: auto, cpu, cuda or cuda:N), made the
   * engine's default; a CUDA device this engine cannot reach is an error saying what is missing.
   */
  public static Device use(String option) {
    Engine engine = Engine.getInstance();
    // a CPU build can count the machine's GPUs through the driver but cannot use them
    int gpus = engine.hasCapability("CUDA") ? engine.getGpuCount() : 0;
    Device d;
    if (option.equals("auto")) {
      d = gpus > 0 ? Device.gpu(0) : Device.cpu();
    } else if (option.equals("cpu")) {
      d = Device.cpu();
    } else if (option.matches("cuda(:\\d{1,3})?")) {
      int id = option.equals("cuda") ? 0 : Integer.parseInt(option.substring(5));
      if (id >= gpus) {
        throw new LopperException(noGpu(option, gpus, engine));
      }
      d = Device.gpu(id);
    } else {
      throw new LopperException(
          "--device: expected auto, cpu, cuda or cuda:N, found \"" + option + "\"");
    }
    setDefault(engine, d);
    return d;
  }

  private static String noGpu(String option, int gpus, Engine engine) {
    String have = "libtorch " + engine.getVersion();
    if (!engine.hasCapability("CUDA")) {
      return "--device "
          + option
          + ": "
          + have
          + " here is the CPU build, without CUDA; for a GPU, unpack libtorch 2.7.1 for CUDA"
          + " 12.8 and set PYTORCH_LIBRARY_PATH=<its lib folder>, PYTORCH_VERSION=2.7.1 and"
          + " PYTORCH_FLAVOR=cu128 (README, \"GPU\")";
    }
    return "--device "
        + option
        + ": "
        + have
        + " has CUDA but sees "
        + gpus
        + " GPU"
        + (gpus == 1 ? "" : "s")
        + " (check nvidia-smi, the driver and CUDA_VISIBLE_DEVICES)";
  }

  private static void setDefault(Engine engine, Device d) {
    try {
      Field f = Engine.class.getDeclaredField("defaultDevice");
      f.setAccessible(true);
      f.set(engine, d);
    } catch (ReflectiveOperationException | RuntimeException e) {
      if (!engine.defaultDevice().equals(d)) {
        throw new LopperException(
            "--device: cannot make " + d + " DJL's default device (" + e.getMessage() + ")");
      }
    }
  }
}
