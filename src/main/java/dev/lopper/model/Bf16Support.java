package dev.lopper.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.cuda.CudaUtils;

/**
 * Whether a device multiplies bf16 natively, and how fast bf16 products run there against float32.
 * CPUs do with AVX512-BF16 or AMX-BF16; without them libtorch's oneDNN emulates bf16 products,
 * usually slower than float32. CUDA devices do from compute capability 8.0 (Ampere).
 */
public final class Bf16Support {
  private Bf16Support() {}

  /** Whether {@code device} has bf16 matrix units. */
  public static boolean isNative(Device device) {
    if (device.isGpu()) {
      String cc = CudaUtils.getComputeCapability(device.getDeviceId());
      return cc != null && !cc.isEmpty() && Integer.parseInt(cc.replace(".", "")) >= 80;
    }
    return CpuInfo.bf16Native();
  }

  /** What the device is, for messages: the CPU's model and flags, or the GPU's capability. */
  public static String describe(Device device) {
    if (device.isGpu()) {
      return "CUDA device "
          + device.getDeviceId()
          + " (compute capability "
          + CudaUtils.getComputeCapability(device.getDeviceId())
          + ")";
    }
    return "this CPU ("
        + CpuInfo.model()
        + ", "
        + (CpuInfo.flags().isEmpty() ? "none of " + CpuInfo.FLAGS : "flags " + CpuInfo.flags())
        + ")";
  }

  /**
   * float32 time over bf16 time of a (256, 1024) x (1024, 1024) product in {@code m}'s device, the
   * best of three each: above 1 where bf16 is faster. Needs the fused kernels.
   */
  public static double measuredSpeedup(NDManager m) {
    FusedOps fused = FusedOps.get();
    try (NDManager scope = m.newSubManager()) {
      NDArray x = scope.randomNormal(0, 1, new Shape(256, 1024), DataType.FLOAT32);
      NDArray w = scope.randomNormal(0, 1, new Shape(1024, 1024), DataType.FLOAT32);
      double fp32 = Double.MAX_VALUE;
      double bf16 = Double.MAX_VALUE;
      for (int i = 0; i < 4; i++) {
        long t0 = System.nanoTime();
        Ops.linear(x, w, null).getFloat(0, 0);
        long t1 = System.nanoTime();
        fused.linearBf16(x, w, null).getFloat(0, 0);
        long t2 = System.nanoTime();
        if (i > 0) { // the first of each loads its kernels
          fp32 = Math.min(fp32, t1 - t0);
          bf16 = Math.min(bf16, t2 - t1);
        }
      }
      return fp32 / bf16;
    }
  }
}
