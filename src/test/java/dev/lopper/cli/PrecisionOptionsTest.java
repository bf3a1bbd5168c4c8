package dev.lopper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.io.Json;
import dev.lopper.testing.CliRun;
import dev.lopper.testing.TinyLm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --precision and --device as the commands take them: bf16 runs end to end with float32 results,
 * auto says what it chose, emulated bf16 says how slow it is, and a device that is not there is a
 * one-line error (exit 2) saying what is missing, before anything is written.
 */
class PrecisionOptionsTest {
  @TempDir Path tmp;

  private List<String> finetune(Path out, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "finetune",
                "--model",
                TinyLm.pretrained().toString(),
                "--data",
                TinyLm.TEXT.toString(),
                "--steps",
                "12",
                "--seq-len",
                "32",
                "--batch-size",
                "2",
                "--no-progress",
                "--out",
                out.toString(),
                "--format",
                "json"));
    a.addAll(List.of(extra));
    return a;
  }

  @Test
  void bf16FineTuningEndsNearFloat32AndRecordsItsPrecision() throws Exception {
    CliRun fp32 = CliRun.of(finetune(tmp.resolve("fp32")).toArray(String[]::new));
    assertEquals(0, fp32.exit(), fp32.err());
    CliRun bf16 =
        CliRun.of(finetune(tmp.resolve("bf16"), "--precision", "bf16").toArray(String[]::new));
    assertEquals(0, bf16.exit(), bf16.err());
    JsonNode a = Json.read(tmp.resolve("fp32/run.json"));
    JsonNode b = Json.read(tmp.resolve("bf16/run.json"));
    assertEquals("fp32", a.path("precision").asText());
    assertEquals("bf16", b.path("precision").asText());
    double la = a.at("/final/valid_loss").asDouble();
    double lb = b.at("/final/valid_loss").asDouble();
    assertTrue(la != lb, "bf16 changed nothing: " + la);
    assertEquals(la, lb, 0.02 * la, "validation loss, bf16 against float32");
  }

  @Test
  void aMissingGpuIsNamedWithWhatToInstall() {
    Path out = tmp.resolve("cuda");
    CliRun r = CliRun.of(finetune(out, "--device", "cuda").toArray(String[]::new));
    assertEquals(2, r.exit(), r.err());
    String err = r.err().strip();
    assertEquals(1, err.lines().count(), err);
    assertTrue(err.contains("--device cuda"), err);
    assertTrue(err.contains("PYTORCH_LIBRARY_PATH") || err.contains("sees 0 GPUs"), err);
    assertFalse(Files.exists(out), "nothing written");
  }

  @Test
  void unknownValuesAreNamed() {
    CliRun p = CliRun.of(finetune(tmp.resolve("p"), "--precision", "fp8").toArray(String[]::new));
    assertEquals(2, p.exit());
    assertTrue(
        p.err().contains("--precision: expected fp32, bf16 or auto, found \"fp8\""), p.err());
    CliRun d = CliRun.of(finetune(tmp.resolve("d"), "--device", "tpu").toArray(String[]::new));
    assertEquals(2, d.exit());
    assertTrue(d.err().contains("--device: expected auto, cpu, cuda or cuda:N"), d.err());
    assertFalse(Files.exists(tmp.resolve("p")) || Files.exists(tmp.resolve("d")));
  }

  /** A processor without bf16 units, as /proc/cpuinfo would describe it. */
  @Test
  void withoutBf16UnitsAutoChoosesFloat32AndBf16SaysHowSlow() throws Exception {
    Path cpuinfo = tmp.resolve("cpuinfo");
    Files.writeString(
        cpuinfo, "processor\t: 0\nmodel name\t: Old Xeon\nflags\t\t: fpu sse2 avx2 avx512f\n\n");
    System.setProperty("lopper.cpuinfo", cpuinfo.toString());
    try {
      List<String> gen =
          List.of(
              "generate", "--model", TinyLm.pretrained().toString(), "--prompt", "The", "-n", "3");
      List<String> auto = new ArrayList<>(gen);
      auto.addAll(List.of("--precision", "auto"));
      CliRun a = CliRun.of(auto.toArray(String[]::new));
      assertEquals(0, a.exit(), a.err());
      assertTrue(a.err().contains("--precision auto: fp32 (this CPU (Old Xeon"), a.err());
      List<String> bf16 = new ArrayList<>(gen);
      bf16.addAll(List.of("--precision", "bf16"));
      CliRun b = CliRun.of(bf16.toArray(String[]::new));
      assertEquals(0, b.exit(), b.err());
      assertTrue(b.err().contains("has no bf16 matrix units"), b.err());
      assertTrue(
          b.err().matches("(?s).*measured here at \\d+\\.\\d\\dx float32's speed.*"), b.err());
    } finally {
      System.clearProperty("lopper.cpuinfo");
    }
  }

  @Test
  void aGridCarriesPrecisionToItsRuns() throws Exception {
    Path grid = tmp.resolve("grid.yaml");
    Files.writeString(
        grid,
        "model: "
            + TinyLm.pretrained()
            + "\ntask: lm\ndata: "
            + TinyLm.TEXT.toAbsolutePath()
            + "\nout: "
            + tmp.resolve("g")
            + "\nmethods: [gum]\nleftover: [0.5]\n"
            + "train: {steps: 10, precision: bf16}\n");
    CliRun r = CliRun.of("experiment", "--config", grid.toString(), "--dry-run");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("--precision bf16"), r.out());
    Files.writeString(grid, Files.readString(grid).replace("bf16", "fp16"));
    CliRun bad = CliRun.of("experiment", "--config", grid.toString(), "--dry-run");
    assertEquals(2, bad.exit(), bad.out());
    assertTrue(bad.err().contains("fp16"), bad.err());
  }
}
