package dev.lopper.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import dev.lopper.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reports of hand-made run folders, with all parts and with subsets. */
class RunReportTest {
  @TempDir Path dir;

  static final String RUN_JSON =
      """
      {"command": "prune", "model": "gpt2", "method": "top_v", "leftover": 0.5, "steps": 40,
       "config": {"lr": 5e-4, "weight_decay": 0.1, "seed": 42,
                  "distil": {"teacher": "gpt2", "alpha_kd": 0.5}},
       "final": {"train_loss": 3.2, "valid_loss": 3.4, "valid_ppl": 29.96, "leftover": 0.5,
                 "seconds": 812.4},
       "widths": [1500, 1572, 1000], "dense_widths": [3072, 3072, 3072]}
      """;

  static String log() {
    StringBuilder b = new StringBuilder();
    for (int s = 1; s <= 40; s++) {
      b.append(
          String.format(
              Locale.ROOT,
              "{\"step\": %d, \"loss\": %.4f, \"total\": "
                  + "%.4f, \"leftover\": %.4f, \"lr\": %.6f, \"tokens_per_s\": 900}%n",
              s,
              4 - Math.log(s) / 3,
              4.1 - Math.log(s) / 3,
              1 - s / 80.0,
              5e-4 * s / 40));
      if (s % 20 == 0) {
        b.append("{\"step\": ")
            .append(s)
            .append(", \"valid_loss\": ")
            .append(3.6 - s / 100.0)
            .append("}\n");
      }
    }
    return b.toString();
  }

  /** An analysis folder as lopper analyze writes it, from a small synthetic result. */
  static void analysis(Path runDir) {
    Uniqueness[] u = new Uniqueness[3];
    double[][] s = new double[3][];
    int[] widths = {1500, 1572, 1000};
    for (int l = 0; l < 3; l++) {
      int n = widths[l] / 100;
      double[] max = new double[n];
      double[] later = new double[n];
      boolean[] sim = new boolean[n];
      s[l] = new double[n];
      for (int i = 0; i < n; i++) {
        max[i] = 0.3 + 0.6 * ((i * 7 + l) % n) / n;
        later[i] = i == n - 1 ? Double.NEGATIVE_INFINITY : max[i] - 0.05;
        sim[i] = later[i] >= 0.8;
        s[l][i] = 0.01 * (i + 1);
      }
      u[l] = new Uniqueness(0.8, max, later, sim);
    }
    AnalysisResult r = new AnalysisResult(0.8, 4, 64, 256, 3.3, s, u, null);
    AnalysisResult base = new AnalysisResult(0.8, 4, 64, 256, 3.1, s, u, null);
    ObjectNode header = Json.object();
    header.put("model", "runs/x/model");
    header.put("data", "valid.txt");
    header.put("baseline_model", "gpt2");
    AnalysisFiles.write(r.withBaseline(base), header, runDir.resolve("analysis"));
  }

  static List<String> images(String html) {
    Matcher m = Pattern.compile("<img alt=\"([^\"]*)\" src=\"data:image/png;base64,").matcher(html);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  static void assertSelfContained(String html) {
    assertFalse(html.contains("http://") || html.contains("https://"), "no outside address");
    assertFalse(html.contains("<script"), "no script");
    assertFalse(html.contains("<link"), "no linked resource");
    assertTrue(html.contains("<style>"));
  }

  @Test
  void fullPruneRun() throws IOException {
    Path run = dir.resolve("topv-50");
    Files.createDirectories(run.resolve("model"));
    Files.writeString(run.resolve("run.json"), RUN_JSON);
    Files.writeString(run.resolve("log.jsonl"), log());
    Files.writeString(run.resolve("masks.json"), "{\"layers\": [[0, 1], [2], [3, 4, 5]]}");
    Files.write(run.resolve("scores.safetensors"), new byte[] {0});
    analysis(run);
    Path report = RunReport.write(run);
    assertEquals(run.resolve("report.html"), report);
    String html = Files.readString(report);
    assertSelfContained(html);
    for (String s :
        List.of(
            "Run topv-50",
            "Overview",
            "top_v",
            "Final metrics",
            "valid_ppl",
            "29.96",
            "MLP width per layer",
            "48.83%",
            "Training",
            "best validation loss",
            "Redundancy analysis",
            "sensitivity ratio",
            "Configuration",
            "distil.alpha_kd",
            "Files",
            "scores.safetensors")) {
      assertTrue(html.contains(s), "report shows " + s);
    }
    // widths from run.json (masks.json is not consulted when run.json has them), the training
    // curves, and the analysis plots except its own widths plot, which the run's replaces
    assertEquals(
        List.of(
            "MLP width per layer",
            "Training curves",
            "Sensitivity and uniqueness per layer",
            "Distribution of max cosine similarity"),
        images(html));
    assertTrue(html.contains("<th>distillation</th><td>yes</td>"));
  }

  @Test
  void finetuneRunWithoutMasksOrAnalysis() throws IOException {
    Path run = dir.resolve("ft");
    Files.createDirectories(run);
    Files.writeString(
        run.resolve("run.json"),
        """
        {"command": "finetune", "model": "gpt2", "method": null, "leftover": 1.0, "steps": 10,
         "config": {"lr": 5e-4, "distil": null}, "final": {"valid_loss": 3.0}}
        """);
    Files.writeString(run.resolve("log.jsonl"), "{\"step\": 1, \"loss\": 3.5}\n");
    String html = Files.readString(RunReport.write(run));
    assertSelfContained(html);
    assertEquals(List.of("Training curves"), images(html));
    assertFalse(html.contains("Redundancy analysis"));
    assertTrue(html.contains("finetune"));
  }

  @Test
  void analysisOnlyAndMasksOnly() throws IOException {
    Path a = dir.resolve("a");
    analysis(a);
    String html = Files.readString(RunReport.write(a));
    assertTrue(html.contains("No run.json"));
    assertEquals(3, images(html).size(), "layer metrics, similarity histogram, widths");

    Path m = dir.resolve("m");
    Files.createDirectories(m);
    Files.writeString(m.resolve("masks.json"), "{\"layers\": [[0, 1], [2], [3, 4, 5]]}");
    html = Files.readString(RunReport.write(m));
    assertEquals(List.of("MLP width per layer"), images(html));
    assertTrue(html.contains("<td class=\"num\">6</td>"), "total kept neurons");
  }

  @Test
  void badFoldersAndFieldsAreClearErrors() throws IOException {
    LopperException e =
        assertThrows(LopperException.class, () -> RunReport.write(dir.resolve("missing")));
    assertTrue(e.getMessage().contains("not a folder"), e.getMessage());

    Path empty = dir.resolve("empty");
    Files.createDirectories(empty);
    e = assertThrows(LopperException.class, () -> RunReport.write(empty));
    assertTrue(e.getMessage().contains("not a run folder"), e.getMessage());

    Path bad = dir.resolve("bad");
    Files.createDirectories(bad);
    Files.writeString(bad.resolve("run.json"), "{\"widths\": [10, \"x\"]}");
    e = assertThrows(LopperException.class, () -> RunReport.write(bad));
    assertEquals(
        bad.resolve("run.json") + ": field widths[1] must be an integer, found \"x\"",
        e.getMessage());

    Files.writeString(bad.resolve("run.json"), "{\"final\": {\"valid_loss\": \"low\"}}");
    e = assertThrows(LopperException.class, () -> RunReport.write(bad));
    assertTrue(e.getMessage().contains("field final.valid_loss must be a number"), e.getMessage());
  }

  @Test
  void runPointForTheRatioFigure() throws IOException {
    Path run = dir.resolve("p");
    Files.createDirectories(run);
    Files.writeString(run.resolve("run.json"), RUN_JSON);
    analysis(run);
    RunPoint p = RunFolder.open(run).point();
    assertEquals("top_v", p.method());
    assertEquals(0.5, p.leftover());
    assertTrue(p.distilled());
    assertEquals(1.0, p.sensitivityRatio(), 1e-12);
    assertEquals(1.0, p.uniquenessRatio(), 1e-12);
    assertEquals("top_v + distil", p.series());
  }

  @Test
  void htmlEscapesText() {
    HtmlPage page = new HtmlPage("a <b> & \"c\"");
    page.keyValues(Map.of("<k>", "1.5e-3"));
    String html = page.html();
    assertTrue(html.contains("<h1>a &lt;b&gt; &amp; &quot;c&quot;</h1>"));
    assertTrue(html.contains("<th>&lt;k&gt;</th><td class=\"num\">1.5e-3</td>"));
    assertEquals("0.001235", HtmlPage.num(0.00123456));
    assertEquals("1.235e-04", HtmlPage.num(0.000123456));
    assertEquals("-", HtmlPage.num(Double.NaN));
    assertEquals("3072", HtmlPage.num(3072));
  }
}
