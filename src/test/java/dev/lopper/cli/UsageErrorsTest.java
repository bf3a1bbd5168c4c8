package dev.lopper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lopper.testing.CliRun;
import org.junit.jupiter.api.Test;

/** Command-line mistakes: one line naming the option, expected and found, then where to look. */
class UsageErrorsTest {
  private static String fails(String... args) {
    CliRun r = CliRun.of(args);
    assertEquals(2, r.exit(), r.err());
    String err = r.err().strip();
    assertEquals(1, err.lines().count(), "one line, not the usage: " + err);
    assertFalse(err.contains("Usage:"), err);
    assertTrue(r.out().isEmpty(), r.out());
    return err;
  }

  @Test
  void unknownOptionSuggestsTheNearOne() {
    assertEquals(
        "error: unknown option --colour for lopper prune; see lopper prune --help",
        fails(
            "prune",
            "--model",
            "m",
            "--data",
            "d",
            "--method",
            "gum",
            "--leftover",
            "0.5",
            "--steps",
            "3",
            "--out",
            "o",
            "--colour",
            "1"));
    assertEquals(
        "error: --leftover: given twice, expected once; see lopper prune --help",
        fails(
            "prune",
            "--model",
            "m",
            "--data",
            "d",
            "--method",
            "gum",
            "--leftover",
            "0.5",
            "--steps",
            "3",
            "--out",
            "o",
            "--leftover",
            "0.25"));
    assertEquals(
        "error: unknown option --sed for lopper finetune (did you mean --seq-len or --seed?); see "
            + "lopper finetune --help",
        fails(
            "finetune", "--model", "m", "--data", "d", "--steps", "3", "--out", "o", "--sed", "1"));
  }

  @Test
  void wrongTypeNamesExpectedAndFound() {
    assertEquals(
        "error: --seed: expected an integer, found 'abc'; see lopper finetune --help",
        fails(
            "finetune",
            "--model",
            "m",
            "--data",
            "d",
            "--steps",
            "3",
            "--out",
            "o",
            "--seed",
            "abc"));
    assertEquals(
        "error: --lr: expected a number, found '1e-3x'; see lopper finetune --help",
        fails(
            "finetune",
            "--model",
            "m",
            "--data",
            "d",
            "--steps",
            "3",
            "--out",
            "o",
            "--lr",
            "1e-3x"));
  }

  @Test
  void aStrayValueAfterAFlag() {
    assertEquals(
        "error: unexpected argument 'runs/a' after --resume, which takes no value (the "
            + "run folder is --out); see lopper finetune --help",
        fails(
            "finetune",
            "--model",
            "m",
            "--data",
            "d",
            "--steps",
            "3",
            "--out",
            "o",
            "--resume",
            "runs/a"));
    assertEquals(
        "error: unexpected argument 'x' (lopper info takes no positional arguments); "
            + "see lopper info --help",
        fails("info", "--model", "m", "x"));
  }

  @Test
  void unknownEnumValueListsTheChoices() {
    assertEquals(
        "error: --metric: expected one of bleu, rouge, em, found 'meteor'; see lopper "
            + "score --help",
        fails("score", "--metric", "bleu,meteor", "--hyp", "h", "--ref", "r"));
  }

  @Test
  void missingOptionsAndValues() {
    assertEquals(
        "error: missing required option --model MODEL; see lopper info --help", fails("info"));
    assertEquals(
        "error: --seed: expected an integer, found nothing; see lopper generate --help",
        fails("generate", "--model", "m", "--prompt", "p", "--seed"));
    // a misspelt required option is reported as such, not as the missing one
    assertEquals(
        "error: unknown option --mdoel for lopper info; see lopper info --help",
        fails("info", "--mdoel", "m"));
    assertEquals(
        "error: missing required argument RUN_DIR; see lopper report --help", fails("report"));
  }

  @Test
  void helpStillPrintsTheUsage() {
    CliRun r = CliRun.of("prune", "--help");
    assertEquals(0, r.exit());
    assertTrue(r.out().contains("Usage: lopper prune"), r.out());
  }
}
