package dev.lopper.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The processor a bench ran on, from /proc/cpuinfo (Linux): its model name and which of the
 * instruction sets that change libtorch's float speed it has (bf16 and AMX run matrix products
 * several times faster on the machines that have them).
 */
public final class CpuInfo {
  public static final List<String> FLAGS = List.of("avx2", "avx512f", "avx512_bf16", "amx_bf16");

  private CpuInfo() {}

  /** The model name, or "unknown" off Linux. */
  public static String model() {
    String v = field("model name");
    return v == null ? "unknown" : v;
  }

  /** Those of {@link #FLAGS} the processor has. */
  public static List<String> flags() {
    String v = field("flags");
    List<String> have = new ArrayList<>();
    if (v != null) {
      List<String> all = Arrays.asList(v.split("\\s+"));
      FLAGS.stream().filter(all::contains).forEach(have::add);
    }
    return have;
  }

  /** Whether the processor multiplies bf16 natively (AVX512-BF16 or AMX-BF16). */
  public static boolean bf16Native() {
    List<String> f = flags();
    return f.contains("avx512_bf16") || f.contains("amx_bf16");
  }

  private static String field(String name) {
    try {
      // lopper.cpuinfo: another file in /proc/cpuinfo's format, to check the choices bf16 makes
      Path file = Path.of(System.getProperty("lopper.cpuinfo", "/proc/cpuinfo"));
      for (String line : Files.readAllLines(file)) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
          return line.substring(colon + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or /proc not mounted
    }
    return null;
  }
}
