package dev.lopper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lopper.RunDefault;
import dev.lopper.data.DocumentMode;
import dev.lopper.data.TaskKind;
import dev.lopper.experiment.GridConfigReader;
import dev.lopper.experiment.GridPlan;
import dev.lopper.experiment.PlannedRun;
import dev.lopper.experiment.Step;
import dev.lopper.experiment.YamlDoc;
import dev.lopper.io.Json;
import dev.lopper.prune.CriterionSettings;
import dev.lopper.train.Distillation;
import dev.lopper.train.RunConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * One run configuration: the command line, the grid and the builder give the same one, with the
 * defaults of one table, and its identity is what checkpoints written before it hold.
 */
class RunConfigTest {
  /** A prune run's identity as the checkpoints of Lopper 0.x wrote it (state.json "run"). */
  private static final String PRUNE_IDENTITY =
      "{\"command\":\"prune\",\"model\":\"m\",\"task\":\"lm\",\"data\":\"d.txt\",\"valid\":null,"
          + "\"valid_fraction\":0.05,\"task_options\":{\"mode\":\"TRAIN\",\"promptTemplate\":null,"
          + "\"targetTemplate\":null,\"promptField\":\"prompt\",\"targetField\":\"target\","
          + "\"corpus\":{\"documents\":\"LINES\",\"detokenize\":false}},\"batch_size\":8,"
          + "\"seq_len\":512,\"steps\":0,\"epochs\":1.5,\"warmup\":0.1,\"train\":{"
          + "\"grad_accumulation\":1,\"lr\":5.0E-4,\"weight_decay\":0.1,\"beta1\":0.9,"
          + "\"beta2\":0.999,\"eps\":1.0E-4,\"score_lr\":0.01,\"clip\":1.0,\"seed\":42},"
          + "\"method\":\"gum\",\"leftover\":0.5,\"criterion\":{\"softTau\":0.1,"
          + "\"softLambda\":1.0,\"gumLambda\":2.0,\"gumLambdaU\":1.0,\"gumMomentum\":0.1,"
          + "\"gumInterval\":4},\"distil\":{\"teacher\":\"t\",\"alpha_ce\":0.5,\"alpha_kd\":0.5,"
          + "\"temperature\":2.0}}";

  /** The same for a dense run. */
  private static final String FINETUNE_IDENTITY =
      "{\"command\":\"finetune\",\"model\":\"m\",\"task\":\"lm\",\"data\":\"d.txt\","
          + "\"valid\":null,\"valid_fraction\":0.05,\"task_options\":{\"mode\":\"TRAIN\","
          + "\"promptTemplate\":null,\"targetTemplate\":null,\"promptField\":\"prompt\","
          + "\"targetField\":\"target\",\"corpus\":{\"documents\":\"AUTO\",\"detokenize\":false}},"
          + "\"batch_size\":8,\"seq_len\":512,\"steps\":7,\"epochs\":0.0,\"warmup\":0.1,"
          + "\"train\":{\"grad_accumulation\":1,\"lr\":5.0E-4,\"weight_decay\":0.1,\"beta1\":0.9,"
          + "\"beta2\":0.999,\"eps\":1.0E-4,\"score_lr\":0.01,\"clip\":1.0,\"seed\":42},"
          + "\"method\":null,\"leftover\":1.0,\"criterion\":{\"softTau\":0.1,\"softLambda\":1.0,"
          + "\"gumLambda\":2.0,\"gumLambdaU\":1.0,\"gumMomentum\":0.1,\"gumInterval\":4}}";

  /** Options of finetune / prune whose defaults are not a run's: where the model comes from. */
  // options of where and how a command runs, shared with commands that run no training
  private static final Set<String> NOT_RUN_OPTIONS = Set.of("--revision", "--format", "--device");

  @TempDir Path tmp;

  static RunConfig parse(List<String> args) {
    CommandLine.ParseResult p = Main.commandLine().parseArgs(args.toArray(String[]::new));
    Object command = p.subcommand().commandSpec().userObject();
    return command instanceof PruneCommand prune
        ? prune.config(false)
        : ((FinetuneCommand) command).config(false);
  }

  static RunConfig parse(String line) {
    return parse(List.of(line.split(" ")));
  }

  @Test
  void helpShowsTheDefaultsOfTheTableAndNoOthers() {
    Set<RunDefault> shown = EnumSet.noneOf(RunDefault.class);
    for (String command : List.of("finetune", "prune")) {
      CommandLine cl = Main.commandLine().getSubcommands().get(command);
      CommandSpec spec = cl.getCommandSpec();
      StringWriter usage = new StringWriter();
      cl.usage(new PrintWriter(usage));
      String help = usage.toString().replaceAll("\\s+", " ");
      for (OptionSpec o : spec.options()) {
        RunDefault d = RunDefault.of(o.longestName().substring(2));
        if (d == null) {
          assertTrue(
              o.defaultValue() == null || NOT_RUN_OPTIONS.contains(o.longestName()),
              command + " " + o.longestName() + ": a default outside the table");
          continue;
        }
        shown.add(d);
        assertNull(o.defaultValue(), o.longestName() + ": the default belongs in the table");
        assertEquals(d.text(), o.defaultValueString(), command + " " + o.longestName());
        assertTrue(
            String.join(" ", o.description()).contains("(default: " + d.text() + ")"),
            command + " " + o.longestName() + " shows its default");
      }
      assertTrue(help.contains("(default: " + RunDefault.LR.text() + ")"), help);
    }
    assertEquals(EnumSet.allOf(RunDefault.class), shown, "every row is an option's default");
  }

  @Test
  void theCommandLineAndTheBuilderStartFromTheSameDefaults() {
    Path m = Path.of("m");
    Path d = Path.of("d.txt");
    Path o = Path.of("o");
    assertEquals(
        RunConfig.builder("m", m, d, o).steps(7).build(),
        parse("finetune --model m --data d.txt --steps 7 --out o"));
    assertEquals(
        RunConfig.builder("m", m, d, o)
            .epochs(1.5)
            .prune("gum", 0.5)
            .distil(new Distillation.Settings(Path.of("t"), 0.5, 0.5, 2))
            .build(),
        parse(
            "prune --model m --data d.txt --method gum --leftover 0.5 --epochs 1.5 --distil t"
                + " --out o"));
    RunConfig c = RunConfig.builder("m", m, d, o).steps(7).build();
    assertEquals(TaskKind.LM, c.task());
    assertEquals(0.05, c.validFraction());
    assertEquals(new CriterionSettings(0.1, 1, 2, 1, 0.1, 4), c.criterion());
  }

  @Test
  void identityIsWhatEarlierCheckpointsHold() {
    assertEquals(
        PRUNE_IDENTITY,
        Json.compact(
            parse(
                    "prune --model m --data d.txt --method gum --leftover 0.5 --epochs 1.5"
                        + " --distil t --out o --documents lines")
                .identity()));
    assertEquals(
        FINETUNE_IDENTITY,
        Json.compact(parse("finetune --model m --data d.txt --steps 7 --out o").identity()));
  }

  @Test
  void laterOptionsEnterTheIdentityOnlyWhenTheyDifferFromTheDefaults() {
    var id =
        parse(
                "finetune --model m --data d.txt --steps 7 --out o --lr-schedule cosine"
                    + " --batches random-windows --valid-split token-tail")
            .identity();
    assertEquals("cosine", id.path("train").path("lr_schedule").asText());
    assertEquals("random-windows", id.path("batches").asText());
    assertEquals("token-tail", id.path("valid_split").asText());
    var plain =
        parse(
                "finetune --model m --data d.txt --steps 7 --out o --lr-schedule linear"
                    + " --batches blocks --valid-split documents")
            .identity();
    assertEquals(FINETUNE_IDENTITY, Json.compact(plain));
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            dev.lopper.LopperException.class,
            () -> parse("finetune --model m --data d.txt --steps 7 --out o --batches windows"));
    assertEquals("--batches: expected blocks or random-windows, found 'windows'", e.getMessage());
  }

  @Test
  void stepsAndWarmupAreResolvedOnceFromTheData() {
    RunConfig byEpochs =
        parse("finetune --model m --data d.txt --epochs 2.5 --grad-accum 2 --warmup 0.2 --out o");
    var t = byEpochs.resolve(13); // ceil(2.5 * 13 / 2) = 17 steps
    assertEquals(17, t.steps());
    assertEquals(3, t.warmupSteps()); // round(0.2 * 17)
    assertEquals(1, t.validEvery()); // a tenth, at least one
    assertEquals(1, t.checkpointEvery());
    var s = parse("finetune --model m --data d.txt --steps 40 --valid-every 0 --out o").resolve(1);
    assertEquals(40, s.steps());
    assertEquals(4, s.warmupSteps());
    assertEquals(0, s.validEvery());
    assertEquals(4, s.checkpointEvery());
  }

  @Test
  void theDataOptionsReadTextTheSameWayInEveryCommand() {
    for (String command : List.of("finetune", "prune", "eval", "analyze")) {
      OptionSpec o =
          Main.commandLine()
              .getSubcommands()
              .get(command)
              .getCommandSpec()
              .findOption("--documents");
      assertNotNull(o, command);
      assertEquals(DocumentMode.class, o.type(), command);
    }
  }

  @Test
  void aGridRunIsTheRunOfTheSameOptionsOnTheCommandLine() throws Exception {
    Path model = Files.createDirectories(tmp.resolve("model"));
    Path data = Files.writeString(tmp.resolve("t.txt"), "text\n");
    Path grid = tmp.resolve("g");
    String yaml =
        String.join(
            "\n",
            "model: " + model,
            "data: " + data,
            "out: " + grid,
            "methods: [gum]",
            "leftover: 0.5",
            "distil: [true]",
            "seeds: 7",
            "train: {steps: 6, lr: 1e-3, batch_size: 4, gum_interval: 2, documents: lines}",
            "");
    GridPlan plan =
        GridPlan.of(
            GridConfigReader.read(YamlDoc.parse(tmp.resolve("grid.yaml"), yaml), null),
            new PicocliCommands());
    PlannedRun dense = plan.runs().stream().filter(r -> r.kind().equals("dense")).findFirst().get();
    PlannedRun gum = plan.runs().stream().filter(r -> r.method().equals("gum")).findFirst().get();
    Step train = gum.steps().get(0);
    RunConfig typed =
        parse(
            List.of(
                "prune",
                "--model",
                model.toString(),
                "--data",
                data.toString(),
                "--method",
                "gum",
                "--leftover",
                "0.5",
                "--distil",
                dense.modelDir().toString(),
                "--steps",
                "6",
                "--lr",
                "1e-3",
                "--batch-size",
                "4",
                "--gum-interval",
                "2",
                "--documents",
                "lines",
                "--seed",
                "7",
                "--out",
                gum.dir().toString()));
    assertEquals(typed, parse(train.args()));
    assertEquals(2, typed.criterion().gumInterval());
    assertEquals(7, typed.seed());
    RunConfig denseTyped =
        parse(
            List.of(
                "finetune",
                "--model",
                model.toString(),
                "--data",
                data.toString(),
                "--steps",
                "6",
                "--lr",
                "1e-3",
                "--batch-size",
                "4",
                "--documents",
                "lines",
                "--seed",
                "7",
                "--out",
                dense.dir().toString()));
    assertEquals(denseTyped, parse(dense.steps().get(0).args()));
  }

  @Test
  void aGridWithoutSeedsOrTaskTakesTheTablesDefaults() throws Exception {
    Path model = Files.createDirectories(tmp.resolve("model"));
    Path data = Files.writeString(tmp.resolve("t.txt"), "text\n");
    var c =
        GridConfigReader.read(
            YamlDoc.parse(
                tmp.resolve("grid.yaml"),
                "model: " + model + "\ndata: " + data + "\nout: g\nmethods: topv\nleftover: 0.5\n"),
            null);
    assertEquals(List.of(RunDefault.SEED.longValue()), c.seeds());
    assertEquals(RunDefault.TASK.text(), c.task());
  }
}
