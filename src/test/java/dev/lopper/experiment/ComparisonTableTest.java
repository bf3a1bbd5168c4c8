package dev.lopper.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table's layout, means over seeds, best-per-column marks, ties and missing cells. */
class ComparisonTableTest {
  @TempDir Path tmp;

  private GridPlan plan(String... lines) throws Exception {
    Path data = Files.writeString(tmp.resolve("t.txt"), "text\n");
    Files.createDirectories(tmp.resolve("m"));
    String yaml =
        "model: "
            + tmp.resolve("m")
            + "\ndata: "
            + data
            + "\nout: "
            + tmp.resolve("g")
            + "\n"
            + String.join("\n", lines)
            + "\n";
    GridConfig c = GridConfigReader.read(YamlDoc.parse(tmp.resolve("grid.yaml"), yaml), null);
    return GridPlan.of(c, new FakeCommands());
  }

  private static RunRow row(PlannedRun r, String status, Double ppl) {
    return new RunRow(
        r.id(),
        "g",
        r.hash(),
        r.kind(),
        r.method(),
        r.leftover(),
        r.distil(),
        r.seed(),
        r.variant(),
        "lm",
        status,
        1,
        null,
        "t",
        "t",
        "t",
        1.0,
        "valid_ppl",
        ppl,
        ppl == null ? Map.of() : Map.of("valid_ppl", ppl),
        "{}",
        r.dir().toString(),
        null);
  }

  @Test
  void methodsAsRowsLeftoverAsColumnsBestInBold() throws Exception {
    GridPlan p =
        plan(
            "methods: [random, magnitude, topv]",
            "leftover: [0.75, 0.25]",
            "distil: [false, true]",
            "train: {steps: 5}");
    Map<String, Double> ppl =
        Map.ofEntries(
            Map.entry("dense", 16.138),
            Map.entry("random-75", 17.307),
            Map.entry("magnitude-75", 18.524),
            Map.entry("topv-75", 16.974),
            Map.entry("random-25", 21.458),
            Map.entry("magnitude-25", 23.692),
            Map.entry("topv-25", 20.495),
            Map.entry("random-75-kd", 16.9),
            Map.entry("magnitude-75-kd", 17.0),
            Map.entry("topv-75-kd", 16.9004),
            Map.entry("random-25-kd", 19.0));
    Map<String, RunRow> rows = new HashMap<>();
    for (PlannedRun r : p.runs()) {
      String key = r.id().substring(0, r.id().indexOf("-s42-"));
      // topv-25 with distillation failed, magnitude-25 with distillation never ran
      if (key.equals("topv-25-kd")) {
        rows.put(r.id(), row(r, RunRow.FAILED, null));
      } else if (ppl.containsKey(key)) {
        rows.put(r.id(), row(r, RunRow.DONE, ppl.get(key)));
      }
    }
    String md = ComparisonTable.of(p, rows, "valid_ppl").markdown();
    assertEquals(
        """
        valid_ppl (lower is better; best of each column in bold)

        Dense fine-tuned: 16.138

        | method | 75% kept | 25% kept | 75% kept + distil | 25% kept + distil |
        |---|---:|---:|---:|---:|
        | random | 17.307 | 21.458 | **16.900** | 19.000 |
        | magnitude | 18.524 | 23.692 | 17.000 | – |
        | topv | **16.974** | **20.495** | **16.900** | failed |
        """,
        md);
  }

  @Test
  void severalSeedsGiveMeanAndStandardDeviation() throws Exception {
    GridPlan p =
        plan("methods: [gum, topv]", "leftover: 0.5", "seeds: [1, 2, 3]", "train: {steps: 5}");
    Map<String, RunRow> rows = new HashMap<>();
    Map<String, List<Double>> values =
        Map.of(
            "dense",
            List.of(10.0, 11.0, 12.0),
            "gum-50",
            List.of(13.0, 14.0, 15.0),
            "topv-50",
            List.of(14.0, 14.5, 15.0));
    for (PlannedRun r : p.runs()) {
      String key = r.id().replaceFirst("-s\\d+-[0-9a-f]+$", "");
      rows.put(r.id(), row(r, RunRow.DONE, values.get(key).get((int) r.seed() - 1)));
    }
    ComparisonTable t = ComparisonTable.of(p, rows, "valid_ppl");
    ComparisonTable.Table only = t.tables().get(0);
    assertEquals("11.000 ± 1.000", only.dense().text());
    assertEquals("**14.000 ± 1.000**", md(only.cells().get(0).get(0)));
    assertEquals("14.500 ± 0.500", md(only.cells().get(1).get(0)));
  }

  @Test
  void higherIsBetterForScoresAndOneTablePerVariant() throws Exception {
    GridPlan p =
        plan("methods: [gum, topv]", "leftover: 0.5", "train: {steps: 5, lr: [1e-3, 1e-4]}");
    assertEquals(List.of("lr=0.001", "lr=1.0E-4"), p.variants());
    Map<String, RunRow> rows = new HashMap<>();
    for (PlannedRun r : p.runs()) {
      double bleu = r.method().equals("gum") ? 30 : r.method().equals("topv") ? 31 : 40;
      RunRow base = row(r, RunRow.DONE, null);
      rows.put(
          r.id(),
          new RunRow(
              base.id(),
              "g",
              base.hash(),
              base.kind(),
              base.method(),
              base.leftover(),
              base.distil(),
              base.seed(),
              base.variant(),
              "e2e",
              RunRow.DONE,
              1,
              null,
              "t",
              "t",
              "t",
              1.0,
              "bleu.score",
              bleu,
              Map.of("bleu.score", bleu),
              "{}",
              base.runDir(),
              null));
    }
    ComparisonTable t = ComparisonTable.of(p, rows, "bleu.score");
    assertEquals(2, t.tables().size());
    assertEquals("lr=1.0E-4", t.tables().get(1).variant());
    assertEquals("**31.000**", md(t.tables().get(1).cells().get(1).get(0)));
    assertEquals("bleu.score (higher is better; best of each column in bold)", t.legend());
  }

  private static String md(ComparisonTable.Cell c) {
    return c.best() ? "**" + c.text() + "**" : c.text();
  }
}
