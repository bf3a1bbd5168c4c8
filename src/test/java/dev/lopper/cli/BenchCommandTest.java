package dev.lopper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.io.Json;
import dev.lopper.testing.ReferencePython;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lopper bench} on tiny shapes: every part runs and the report carries its figures. */
class BenchCommandTest {
  @TempDir Path dir;

  private List<String> tiny(Path out) {
    return new ArrayList<>(List.of("bench", "--train-shape", "2,32,2,16,2",
        "--forward-shape", "2,32,2,32,1", "--memory-shape", "1,16,2,8,2", "--vocab", "64",
        "--steps", "2", "--reps", "2", "--warmup", "1", "--memory-steps", "40", "-o",
        out.toString(), "--format", "json"));
  }

  @Test
  void writesJsonAndMarkdownWithTheHeadlineFigures() throws Exception {
    CliRun r = CliRun.of(tiny(dir.resolve("b")).toArray(new String[0]));
    assertEquals(0, r.exit(), r.err());
    JsonNode j = Json.parse(r.out());
    assertEquals(j, Json.read(dir.resolve("b/bench.json")));
    assertTrue(j.get("train_vs_peer").isNull(), "no peer was asked for");
    double gum = j.get("gum_over_topv").asDouble();
    assertTrue(gum > 0 && Double.isFinite(gum), "gum_over_topv " + gum);
    assertTrue(j.get("shrunk50_vs_ideal").asDouble() > 0);
    assertEquals(3, j.at("/forward/shrunk").size());
    JsonNode half = j.at("/forward/shrunk/1");
    assertEquals(0.5, half.get("leftover").asDouble());
    assertTrue(half.get("ideal_speedup").asDouble() > 1, "fewer FLOPs than dense");
    assertEquals(40, j.at("/memory/steps").asInt());
    assertTrue(j.get("peak_rss_mib").asDouble() > 0);
    String md = Files.readString(dir.resolve("b/bench.md"));
    assertTrue(md.contains("| GUM step / Top_v step |"), md);
    assertTrue(md.contains("| shrunk to 50% |"), md);
  }

  @Test
  void peerRunsTheSameShapesAndGivesRatios() throws Exception {
    Path python = ReferencePython.find().orElse(null);
    Assumptions.assumeTrue(python != null, "skipped: no Python with torch (set LOPPER_PYTHON)");
    List<String> args = tiny(dir.resolve("p"));
    args.addAll(List.of("--only", "train,forward", "--peer", "--python", python.toString()));
    CliRun r = CliRun.of(args.toArray(new String[0]));
    assertEquals(0, r.exit(), r.err());
    JsonNode j = Json.parse(r.out());
    assertTrue(j.get("train_vs_peer").asDouble() > 0, j.toString());
    assertTrue(j.get("forward_vs_peer").asDouble() > 0, j.toString());
    assertEquals(4, j.at("/peer/train/samples").asInt(), "two peer runs of two timed steps");
    assertTrue(j.at("/peer/torch").asText().startsWith("2."), j.toString());
  }

  @Test
  void badInputIsNamedWithExitTwoAndNothingWritten() {
    CliRun r = CliRun.of("bench", "--only", "speed", "-o", dir.resolve("x").toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("unknown part \"speed\""), r.err());
    r = CliRun.of("bench", "--train-shape", "6,256", "-o", dir.resolve("x").toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--train-shape expects layers,hidden,heads,seq,batch"), r.err());
    r = CliRun.of("bench", "--peer", "--python", dir.resolve("no-python").toString(), "--only",
        "train", "--train-shape", "1,16,2,8,1", "--vocab", "32", "-o", dir.resolve("x").toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("cannot start the PyTorch peer"), r.err());
    assertFalse(Files.exists(dir.resolve("x")));
  }
}
