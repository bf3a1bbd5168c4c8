package dev.lopper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lopper.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input to every command, as a table: checkpoint files, config fields, options, data files,
 * grid configs, hub settings and output folders. Each case runs in-process and must exit with
 * status 2, print one or two lines on stderr (the last "error: ...") containing the fragments that
 * name the file, field or option with the expected and found value, print no stack trace and no
 * usage text, and leave nothing where {@code {out}} points.
 *
 * <p>Arguments are one string split on spaces: {@code @name} is a fixture (built once, on first
 * use, by {@link BadInputFixtures}), {@code {out}} a fresh path for the case's output, {@code
 * {tmp}} the case's own empty folder.
 */
class BadInputSuiteTest {
  @TempDir static Path root;
  private static BadInputFixtures fixtures;

  static Stream<Case> cases() {
    List<Case> c = new ArrayList<>();
    // --- checkpoint files: info checks the headers as generate does, reading no tensor
    c.add(
        run("info --model @truncated")
            .expect("model.safetensors", "past the end of the file", "truncated"));
    c.add(
        run("info --model @misnamed")
            .expect("weights.safetensors", "rename the model's weights to model.safetensors"));
    c.add(
        run("info --model @pickle")
            .expect("pytorch_model.bin", "arbitrary code", "safe_serialization=True"));
    c.add(
        run("info --model @shape")
            .expect(
                "transformer.h.0.mlp.c_fc",
                "expected shape [100] (from config.json), found [128]"));
    c.add(run("info --model @missingTensor").expect("transformer.ln_f.bias", "not found"));
    c.add(
        run("info --model @badDtype")
            .expect("model.safetensors", "dtype \"F31\" is not supported"));
    c.add(
        run("info --model @headerNotJson").expect("model.safetensors", "header is not valid JSON"));
    c.add(
        run("info --model @noWeights")
            .expect("no model weights: expected model.safetensors", "found config.json"));
    c.add(
        run("info --model @shardMissing")
            .expect(
                "model.safetensors.index.json",
                "model-00002-of-00002.safetensors, which is missing"));
    c.add(
        run("info --model @llamaNoQ")
            .expect("model.layers.0.self_attn.q_proj.weight", "not found"));
    c.add(
        run("info --model @neoShape")
            .expect(
                "transformer.h.0.mlp.c_fc.bias",
                "expected shape [100] (from config.json), found [128]"));
    c.add(
        run("info --model @notAFolder")
            .expect(
                "expected a folder (config.json + model.safetensors) or a hub id, found a file"));
    c.add(
        run("generate --model @nan --prompt x -n 2")
            .expect("transformer.h.0.mlp.c_fc.weight", "1 NaN value", "expected finite weights"));
    c.add(
        run("generate --model @inf --prompt x -n 2")
            .expect("transformer.wte.weight", "1 infinite value", "first at [3, 7] of [400, 32]"));
    c.add(
        run("eval --model @nan --task lm --data @text --no-progress --out {out}")
            .expect("NaN", "transformer.h.0.mlp.c_fc.weight"));
    c.add(
        run("finetune --model @nan --data @text --steps 3 --seq-len 32 --no-progress --out {out}")
            .expect("NaN", "transformer.h.0.mlp.c_fc.weight"));
    c.add(
        run("prune --model @truncated --data @text --method topv --leftover 0.5 --steps 8"
                + " --no-progress --out {out}")
            .expect("model.safetensors", "truncated"));
    c.add(
        run("prune --model @tiny --data @text --method topv --leftover 0.5 --steps 8 --seq-len 32"
                + " --distil @nan --no-progress --out {out}")
            .expect("NaN", "transformer.h.0.mlp.c_fc.weight"));
    c.add(
        run("analyze --model @tiny --baseline @shape --data @text --no-progress --out {out}")
            .expect("transformer.h.0.mlp.c_fc", "expected shape [100]"));
    // --- config fields
    c.add(
        run("info --model @positions0")
            .expect("config.json", "field n_positions must be positive, found 0"));
    c.add(
        run("info --model @vocabNegative")
            .expect("config.json", "field vocab_size must be positive, found -1"));
    c.add(run("info --model @noLayers").expect("config.json", "required field n_layer is missing"));
    c.add(run("info --model @mamba").expect("config.json", "unsupported model_type \"mamba\""));
    c.add(run("info --model @configNotJson").expect("config.json"));
    c.add(
        run("info --model @heads")
            .expect("config.json", "n_embd (32) must be a positive multiple of n_head (5)"));
    c.add(run("info --model @inner0").expect("config.json", "n_inner must be positive, found 0"));
    c.add(run("generate --model @activation --prompt x").expect("config.json", "swish7"));
    c.add(
        run("info --model @widths")
            .expect(
                "config.json", "lopper_mlp_widths must be a list of 2 integers", "found [1,2,3]"));
    c.add(
        run("info --model @llamaKv")
            .expect("config.json", "num_attention_heads (4)", "num_key_value_heads (3)"));
    c.add(
        run("finetune --model @smallVocab --data @text --steps 3 --seq-len 32 --no-progress --out"
                + " {out}")
            .expect("the tokenizer has 400 tokens but config.json's vocab_size is 300"));
    c.add(
        run("prune --model @smallVocab --data @text --method gum --leftover 0.5 --steps 8 --seq-len"
                + " 32 --no-progress --out {out}")
            .expect("the tokenizer has 400 tokens but config.json's vocab_size is 300"));
    c.add(
        run("eval --model @smallVocab --task lm --data @text --no-progress --out {out}")
            .expect("the tokenizer has 400 tokens but config.json's vocab_size is 300"));
    // --- options: picocli's mistakes in one line, and values that would mean something else
    c.add(
        run("finetune --model @tiny --data @text --steps 3 --seed abc --out {out}")
            .expect("--seed: expected an integer, found 'abc'", "see lopper finetune --help"));
    c.add(
        run("finetune --model @tiny --data @text --steps 3 --out {out} --resume {tmp}")
            .expect(
                "unexpected argument",
                "after --resume, which takes no value",
                "see lopper finetune --help"));
    c.add(
        run("finetune --model @tiny --data @text --steps 3 --out {out} --stesp 4")
            .expect("unknown option --stesp for lopper finetune"));
    c.add(
        run("finetune --model @tiny --data @text --out {out}")
            .expect("missing one of --steps, --epochs"));
    c.add(
        run("finetune --model @tiny --data @text --steps 3 --epochs 2 --out {out}")
            .expect("--steps, --epochs are mutually exclusive"));
    c.add(
        run("score --metric blue --hyp @hyp3 --ref @ref3")
            .expect(
                "--metric: expected one of bleu, rouge, em, found 'blue'",
                "see lopper score --help"));
    c.add(
        run("generate --model @tiny --prompt x -n many")
            .expect("--max-new-tokens: expected an integer, found 'many'"));
    c.add(
        run("results {tmp} --format xml")
            .expect("--format: expected one of md, csv, json, found 'xml'"));
    c.add(run("bogus --model x").expect("unknown command 'bogus'", "expected one of", "finetune"));
    c.add(
        run("prune --model @tiny --data @text --method gum --leftover 0.5 --steps 8 --gum-lambda -1"
                + " --out {out}")
            .expect("--gum-lambda must be >= 0, found -1"));
    c.add(
        run("prune --model @tiny --data @text --method gum --leftover 0.5 --steps 8 --gum-momentum"
                + " 0 --out {out}")
            .expect("--gum-momentum must be in (0, 1], found 0"));
    c.add(
        run("prune --model @tiny --data @text --method soft --leftover 0.5 --steps 8 --soft-tau 1.5"
                + " --out {out}")
            .expect("--soft-tau must be in [0, 1), found 1.5"));
    c.add(
        run("prune --model @tiny --data @text --method gum --leftover 0.5 --steps 8 --gum-interval"
                + " 0 --out {out}")
            .expect("--gum-interval must be >= 1, found 0"));
    c.add(
        run("prune --model @tiny --data @text --method topv --leftover 1e-9 --steps 8 --seq-len 32"
                + " --no-progress --out {out}")
            .expect(
                "--leftover 1e-9 keeps round(1e-9 x 128) = 0 of the 128 MLP neurons of layer 0",
                "at least 0.00390625"));
    c.add(
        run("prune --model @tiny --data @text --method topv --leftover 1.5 --steps 8 --out {out}")
            .expect("--leftover must be in (0, 1], found 1.5"));
    c.add(
        run("prune --model @tiny --data @text --method l0 --leftover 0.5 --steps 8 --out {out}")
            .expect("unknown pruning method \"l0\"", "gum"));
    c.add(
        run("finetune --model @tiny --data @text --steps 3 --clip -1 --out {out}")
            .expect("--clip must be >= 0, found -1"));
    c.add(
        run("finetune --model @tiny --data @text --steps 3 --checkpoint-every -2 --out {out}")
            .expect("--checkpoint-every must be >= 0, found -2"));
    c.add(
        run("finetune --model @tiny --data @text --steps 3 --valid-every -1 --out {out}")
            .expect("--valid-every must be >= 0, found -1"));
    c.add(
        run("finetune --model @tiny --data @text --steps 3 --lr 0 --out {out}")
            .expect("--lr must be > 0, found 0"));
    c.add(
        run("finetune --model @tiny --data @text --steps 3 --beta2 1 --out {out}")
            .expect("--beta2 must be in [0, 1), found 1"));
    c.add(
        run("finetune --model @tiny --data @text --steps 3 --grad-accum 0 --out {out}")
            .expect("--grad-accum must be >= 1, found 0"));
    c.add(
        run("finetune --model @tiny --data @text --steps 3 --weight-decay -0.1 --out {out}")
            .expect("--weight-decay must be >= 0, found -0.1"));
    c.add(
        run("finetune --model @tiny --data @text --steps 3 --warmup 1.5 --out {out}")
            .expect("--warmup must be a fraction in [0, 1), found 1.5"));
    c.add(
        run("finetune --model @tiny --data @text --steps 3 --valid-fraction 1.5 --out {out}")
            .expect("--valid-fraction must be in [0, 1), found 1.5"));
    c.add(
        run("finetune --model @tiny --data @text --steps 3 --batch-size 0 --out {out}")
            .expect("--batch-size must be >= 1, found 0"));
    c.add(
        run("finetune --model @tiny --data @text --steps 3 --dtype f8 --out {out}")
            .expect("--dtype", "f8"));
    c.add(
        run("finetune --model @tiny --data @text --steps 3 --precision fp8 --out {out}")
            .expect("--precision: expected fp32, bf16 or auto, found \"fp8\""));
    c.add(run("generate --model @tiny --prompt x --device cuda:3").expect("--device cuda:3"));
    c.add(
        run("finetune --model @tiny --data @text --steps 3 --lr-schedule step --out {out}")
            .expect("--lr-schedule: expected linear or cosine, found 'step'"));
    c.add(
        run("finetune --model @tiny --data @text --steps 3 --batches windows --out {out}")
            .expect("--batches: expected blocks or random-windows, found 'windows'"));
    c.add(
        run("finetune --model @tiny --data @text --steps 3 --valid-split tail --out {out}")
            .expect("--valid-split: expected documents or token-tail, found 'tail'"));
    c.add(
        run("finetune --model @tiny --task e2e --data @e2eBad --steps 3 --batches"
                + " random-windows --out {out}")
            .expect("--batches random-windows: applies to --task lm only (found --task e2e)"));
    c.add(
        run("eval --model @tiny --task lm --data @text --blocks --stride 4 --out {out}")
            .expect("--blocks and --stride: give one (blocks do not overlap)"));
    c.add(
        run("eval --model @tiny --task e2e --data @e2eBad --blocks --out {out}")
            .expect("--blocks: applies to --task lm only (found --task e2e)"));
    c.add(
        run("generate --model @tiny --prompt x --greedy --temperature 0.7")
            .expect("--greedy cannot be combined with --temperature"));
    c.add(
        run("eval --model @tiny --task e2e --data @e2eBad --stride 4 --out {out}")
            .expect("--stride: applies to --task lm only (found --task e2e)"));
    c.add(
        run("eval --model @tiny --task summaries --data @text --out {out}")
            .expect("task: expected one of e2e, dialogsum", "found \"summaries\""));
    c.add(
        run("eval --model @tiny --task lm --data @text --beams 4 --out {out}")
            .expect("--beams: generation options, but --task lm measures perplexity"));
    c.add(
        run("analyze --model @tiny --data @text --threshold 2 --out {out}")
            .expect("--threshold must be a cosine similarity in [-1, 1], found 2"));
    c.add(
        run("analyze --model @tiny --data @text --blocks 0 --out {out}")
            .expect("--blocks must be at least 1, found 0"));
    c.add(
        run("analyze --model @tiny --data @text --block-size 1000 --no-progress --out {out}")
            .expect("--block-size must be between 1 and the model's 64 positions, found 1000"));
    c.add(run("init --out {out} --preset huge").expect("huge", "tiny"));
    c.add(run("results {tmp} --columns id,colour").expect("--columns: unknown column colour"));
    c.add(
        run("experiment --config @gridTiny --workers 0 --dry-run")
            .expect("--workers must be >= 1, found 0"));
    c.add(run("demo --threads 0 --out {out} --dry-run").expect("--threads must be >= 1, found 0"));
    c.add(
        run("bench --only matmul --matmul-shapes 64x32")
            .expect("--matmul-shapes expects MxKxN shapes separated by commas, found \"64x32\""));
    c.add(
        run("bench --only speed")
            .expect(
                "--only: unknown part \"speed\" (expected train, forward, pruning, memory or"
                    + " matmul)"));
    c.add(
        run("bench --forward-shape 1,2")
            .expect(
                "--forward-shape expects layers,hidden,heads,seq,batch (5 numbers), found"
                    + " \"1,2\""));
    c.add(run("help bogus").expect("unknown subcommand 'bogus'", "see lopper --help"));
    // --- data files
    c.add(
        run("finetune --model @tiny --data @missing --steps 3 --seq-len 32 --no-progress --out"
                + " {out}")
            .expect("no-such-file.txt", "not found"));
    c.add(
        run("finetune --model @tiny --data @utf16 --steps 3 --seq-len 32 --no-progress --out {out}")
            .expect("utf16.txt", "expected UTF-8 text, found UTF-16LE"));
    c.add(
        run("finetune --model @tiny --data @latin1 --steps 3 --seq-len 32 --no-progress --out"
                + " {out}")
            .expect("latin1.txt:2", "not valid UTF-8 (byte 0xE9"));
    c.add(
        run("eval --model @tiny --task e2e --data @e2eBad --no-progress --out {out}")
            .expect("e2e.csv", "mr"));
    c.add(
        run("eval --model @tiny --task jsonl --data @jsonlBad --prompt-field p --target-field t"
                + " --no-progress --out {out}")
            .expect("broken.jsonl:2"));
    c.add(
        run("score --metric bleu --hyp @hyp3 --ref @ref2")
            .expect("line counts differ", "3 lines", "2"));
    c.add(
        run("score --metric bleu --hyp @missing --ref @ref2")
            .expect("no-such-file.txt", "not found"));
    c.add(
        run("analyze --model @tiny --data @short --no-progress --out {out}")
            .expect("short.txt", "shorter than one block"));
    c.add(run("report @missing").expect("no-such-file.txt"));
    c.add(run("results @text").expect("sotu-slice.txt"));
    c.add(run("convert @missing --out {out}").expect("no-such-file.txt", "not found"));
    c.add(run("convert @short --out {out}").expect("short.txt"));
    c.add(run("convert @llama2c --tokenizer @missing --out {out}").expect("no-such-file.txt"));
    // --- grid configs
    c.add(
        run("experiment --config @gridDuplicate --dry-run")
            .expect("grid-dup.yaml:5: leftover: duplicated key (first at line 4)"));
    c.add(
        run("experiment --config @gridUtf16 --dry-run")
            .expect("grid-utf16.yaml", "expected UTF-8 text, found UTF-16"));
    c.add(run("experiment --config @gridUnknownKey --dry-run").expect("grid-key.yaml:4: leftovr"));
    c.add(
        run("experiment --config @gridLeftover --dry-run")
            .expect("grid-leftover.yaml:4: leftover[0]", "1.5"));
    c.add(
        run("experiment --config @gridBadYaml --dry-run")
            .expect("grid-bad.yaml:", "not valid YAML"));
    c.add(
        run("experiment --config @gridTrainOption --dry-run")
            .expect("grid-train.yaml:6: train.stpes", "--stpes"));
    c.add(
        run("experiment --config @gridTrainType --dry-run")
            .expect("grid-type.yaml:6: train.steps", "--steps: expected an integer, found 'many'"));
    c.add(run("experiment --config @missing --dry-run").expect("no-such-file.txt", "not found"));
    c.add(
        run("experiment --config @gridGumLambda --dry-run")
            .expect("grid-lambda.yaml", "--gum-lambda must be >= 0, found -1"));
    // --- hub settings (a hub id, never a request to the real hub)
    c.add(
        run("info --model org/some-model")
            .env("HF_ENDPOINT", "file:///etc")
            .expect("HF_ENDPOINT file:///etc", "expected an http:// or https:// address"));
    c.add(
        run("info --model org/some-model")
            .env("HF_ENDPOINT", "http://exa mple")
            .expect("HF_ENDPOINT http://exa mple", "not a valid address"));
    c.add(
        run("info --model org/some-model")
            .env("HF_HOME", "@plainFile")
            .env("HF_HUB_CACHE", "")
            .expect("HF_HOME", "expected a folder", "plain-file is a file"));
    c.add(
        run("info --model org/some-model")
            .env("HF_HUB_CACHE", "@plainFile/hub")
            .expect("HF_HUB_CACHE", "plain-file is a file"));
    c.add(
        run("info --model org/some-model")
            .env("HF_HUB_OFFLINE", "1")
            .expect("org/some-model@main", "not in the cache", "HF_HUB_OFFLINE"));
    c.add(
        run("info --model org/some-model")
            .env("HF_ENDPOINT", "@redirectingHub")
            .expect(
                "redirect (HTTP 302) to file:///etc/passwd refused",
                "expected an http(s) address"));
    c.add(run("info --model a/b/c").expect("model 'a/b/c'", "not a folder and not a hub id"));
    c.add(
        run("info --model org/some-model --revision ../x")
            .env("HF_HUB_OFFLINE", "1")
            .expect("../x"));
    // --- output folders; tests run as root, which may write anywhere, so "cannot write" is
    // shown with an output under a regular file ("not a directory"), not with permissions
    c.add(
        run("finetune --model @tiny --data @text --steps 3 --seq-len 32 --no-progress --out"
                + " @plainFile/run")
            .expect("--out", "plain-file/run", "not a directory", "plain-file is a file"));
    c.add(
        run("prune --model @tiny --data @text --method topv --leftover 0.5 --steps 8 --no-progress"
                + " --out @plainFile")
            .expect("--out", "expected a folder, found a file"));
    c.add(
        run("eval --model @tiny --task lm --data @text --no-progress --out @plainFile/eval")
            .expect("--out", "not a directory"));
    c.add(
        run("analyze --model @tiny --data @text --no-progress --out @plainFile/analysis")
            .expect("--out", "not a directory"));
    c.add(run("init --out @plainFile/model").expect("--out", "not a directory"));
    c.add(
        run("convert @llama2c --out @plainFile/converted")
            .expect("--out", "plain-file/converted", "not a directory"));
    c.add(
        run("demo --out @plainFile/demo --dry-run")
            .expect("--out", "plain-file/demo", "not a directory"));
    c.add(
        run("experiment --config @gridTiny --out @plainFile/grid --dry-run")
            .expect("plain-file/grid", "not a directory"));
    return c.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refusedInOneLine(Case c) throws IOException {
    Path tmp = Files.createTempDirectory(root, "case");
    Path out = tmp.resolve("out");
    String[] args = c.args().stream().map(a -> resolve(a, tmp, out)).toArray(String[]::new);
    Map<String, String> env = new HashMap<>();
    env.put("HF_HUB_CACHE", tmp.resolve("hub-cache").toString()); // never the user's cache
    env.put("HF_ENDPOINT", "http://127.0.0.1:9"); // never the real hub
    c.env().forEach((k, v) -> env.put(k, resolve(v, tmp, out)));
    CliRun r = CliRun.withEnv(env, args);
    String err = r.err().strip();
    String all = "exit " + r.exit() + ", stderr:\n" + r.err();
    assertEquals(2, r.exit(), all);
    List<String> lines = err.lines().toList();
    assertTrue(lines.size() >= 1 && lines.size() <= 2, "one or two lines: " + all);
    assertTrue(lines.get(lines.size() - 1).startsWith("error: "), all);
    for (String f : c.expected()) {
      assertTrue(err.contains(resolve(f, tmp, out)), "expected \"" + f + "\" in: " + err);
    }
    assertFalse(
        err.contains("\tat ") || err.contains("Exception") || err.contains("Usage:"),
        "no stack trace, no usage: " + err);
    assertTrue(r.out().isBlank(), "nothing on stdout: " + r.out());
    assertFalse(Files.exists(out), "nothing left in --out: " + out);
    assertFalse(
        Files.exists(Path.of("eval-lm")) || Files.exists(Path.of("analysis")),
        "no default output folder in the working directory");
  }

  @AfterAll
  static void stopHub() {
    fixtures.close();
  }

  /** A case: the command line, extra environment, and what stderr must contain. */
  record Case(String line, List<String> args, Map<String, String> env, List<String> expected) {
    Case env(String name, String value) {
      Map<String, String> e = new LinkedHashMap<>(env);
      e.put(name, value);
      return new Case(line, args, e, expected);
    }

    Case expect(String... fragments) {
      return new Case(line, args, env, List.of(fragments));
    }

    @Override
    public String toString() {
      return line + (env.isEmpty() ? "" : "  " + env);
    }
  }

  private static Case run(String line) {
    return new Case(line, Arrays.asList(line.split(" ")), Map.of(), List.of());
  }

  private static synchronized String fixture(String name) {
    if (fixtures == null) {
      fixtures = new BadInputFixtures(root.resolve("fixtures"));
    }
    return fixtures.get(name);
  }

  private static String resolve(String token, Path tmp, Path out) {
    String t = token.replace("{out}", out.toString()).replace("{tmp}", tmp.toString());
    if (t.startsWith("@")) {
      int slash = t.indexOf('/');
      String name = slash < 0 ? t.substring(1) : t.substring(1, slash);
      return fixture(name) + (slash < 0 ? "" : t.substring(slash));
    }
    return t;
  }
}
