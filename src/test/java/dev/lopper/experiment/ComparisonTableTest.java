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
  void severalSeedsGivePairedDifferencesAgainstTopV() throws Exception {
    GridPlan p =
        plan(
            "methods: [random, topv, gum]",
            "leftover: [0.5, 0.25]",
            "seeds: [1, 2, 3]",
            "train: {steps: 5}");
    double[] topv = {14.0, 14.5, 15.0};
    // by hand: gum - topv at 50% = -0.3, -0.5, -0.4 (mean -0.4, sd 0.1, t(0.975, 2) = 4.3027);
    // random - topv = 0.1, -0.2, 0.4 (mean 0.1, sd 0.3); at 25% gum ran seeds 1 and 2 only
    // (+1, +2: mean 1.5, sd 0.7071, t(0.975, 1) = 12.706) and random none
    Map<String, double[]> values =
        Map.of(
            "dense", new double[] {10, 11, 12},
            "topv-50", topv,
            "gum-50", new double[] {13.7, 14.0, 14.6},
            "random-50", new double[] {14.1, 14.3, 15.4},
            "topv-25", new double[] {20, 21, 22},
            "gum-25", new double[] {21, 23, Double.NaN});
    Map<String, RunRow> rows = new HashMap<>();
    for (PlannedRun r : p.runs()) {
      String key = r.id().replaceFirst("-s\\d+-[0-9a-f]+$", "");
      double[] v = values.get(key);
      if (v != null && !Double.isNaN(v[(int) r.seed() - 1])) {
        rows.put(r.id(), row(r, RunRow.DONE, v[(int) r.seed() - 1]));
      }
    }
    String md = ComparisonTable.of(p, rows, "valid_ppl").markdown();
    String paired =
        md.substring(md.indexOf("Paired difference of valid_ppl against topv over seeds"));
    assertEquals(
        """
        Paired difference of valid_ppl against topv over seeds (method - topv): mean [95% \
        Student t interval]; * the interval excludes 0

        | method − topv | 50% kept | 25% kept |
        |---|---:|---:|
        | random | +0.100 [-0.645, +0.845] | – |
        | gum | -0.400 [-0.648, -0.152] * | +1.500 [-4.853, +7.853] |
        """,
        paired);
    ComparisonTable byGum = ComparisonTable.of(p, rows, "valid_ppl", "gum");
    PairedDifference topvVsGum = byGum.paired().tables().get(0).cells().get(1).get(0);
    assertEquals(0.4, topvVsGum.mean(), 1e-9);
    assertEquals("topv", byGum.paired().tables().get(0).methods().get(1));
  }

  @Test
  void oneSeedHasNoPairedTable() throws Exception {
    GridPlan p = plan("methods: [gum, topv]", "leftover: 0.5", "train: {steps: 5}");
    Map<String, RunRow> rows = new HashMap<>();
    for (PlannedRun r : p.runs()) {
      rows.put(r.id(), row(r, RunRow.DONE, 10.0 + r.method().length()));
    }
    ComparisonTable t = ComparisonTable.of(p, rows, "valid_ppl");
    assertEquals(null, t.paired());
    assertEquals(-1, t.markdown().indexOf("Paired"));
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
