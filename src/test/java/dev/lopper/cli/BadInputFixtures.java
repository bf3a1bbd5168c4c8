package dev.lopper.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.lopper.testing.GoldenModels;
import dev.lopper.testing.TinyLm;
import dev.lopper.testing.TinyModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The named inputs of {@link BadInputSuiteTest}, each made once on first use under one folder: a
 * tiny model with a real tokenizer and copies of it broken one way each, data files, grid configs
 * and a hub that redirects to a file: URL.
 */
final class BadInputFixtures implements AutoCloseable {
  private final Path dir;
  private final Map<String, Path> built = new HashMap<>();
  private HttpServer redirectingHub;

  BadInputFixtures(Path dir) {
    this.dir = dir;
  }

  /** The path (or address) of fixture {@code name}. */
  synchronized String get(String name) {
    if (name.equals("redirectingHub")) {
      return redirectingHub();
    }
    Path p = built.get(name);
    if (p == null) { // fixtures build on others: no computeIfAbsent, which may not recurse
      try {
        p = build(name, Files.createDirectories(dir));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      built.put(name, p);
    }
    return p.toString();
  }

  @Override
  public synchronized void close() {
    if (redirectingHub != null) {
      redirectingHub.stop(0);
    }
  }

  private Path build(String name, Path dir) throws IOException {
    Path f = dir.resolve(name);
    switch (name) {
      case "tiny":
        return TinyModels.gpt2WithTokenizer(f, 3);
      case "smallVocab":
        return TinyModels.gpt2WithTokenizer(f, 3, 300);
      case "nan":
        return poisoned(f, "transformer.h.0.mlp.c_fc.weight", 5, Float.NaN);
      case "inf":
        return poisoned(f, "transformer.wte.weight", 3 * 32 + 7, Float.POSITIVE_INFINITY);
      case "truncated":
        {
          Path m = copyOf("tiny", f);
          byte[] all = Files.readAllBytes(m.resolve("model.safetensors"));
          Files.write(m.resolve("model.safetensors"), Arrays.copyOf(all, all.length / 2));
          return m;
        }
      case "misnamed":
        {
          Path m = copyOf("tiny", f);
          Files.move(m.resolve("model.safetensors"), m.resolve("weights.safetensors"));
          return m;
        }
      case "pickle":
        {
          Path m = copyOf("tiny", f);
          Files.delete(m.resolve("model.safetensors"));
          Files.write(m.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2, 'c'});
          return m;
        }
      case "noWeights":
        {
          Path m = copyOf("tiny", f);
          Files.delete(m.resolve("model.safetensors"));
          return m;
        }
      case "shardMissing":
        {
          Path m = copyOf("tiny", f);
          Files.move(m.resolve("model.safetensors"), m.resolve("model-00001-of-00002.safetensors"));
          Files.writeString(
              m.resolve("model.safetensors.index.json"),
              "{\"metadata\": {}, \"weight_map\": {\"transformer.wte.weight\":"
                  + " \"model-00001-of-00002.safetensors\", \"transformer.wpe.weight\":"
                  + " \"model-00002-of-00002.safetensors\"}}");
          return m;
        }
      case "shape":
        return configEdit("tiny", f, c -> c.put("n_inner", 100));
      case "missingTensor":
        return headerEdit(
            "tiny", f, h -> h.set("transformer.ln_f.renamed", h.remove("transformer.ln_f.bias")));
      case "badDtype":
        return headerEdit(
            "tiny", f, h -> ((ObjectNode) h.get("transformer.wpe.weight")).put("dtype", "F31"));
      case "headerNotJson":
        {
          Path m = copyOf("tiny", f);
          Path w = m.resolve("model.safetensors");
          byte[] all = Files.readAllBytes(w);
          all[8] = '#'; // the header's opening brace
          Files.write(w, all);
          return m;
        }
      case "llamaNoQ":
        {
          Path m = BrokenModels.copy("llama", f.getParent());
          BrokenModels.editHeader(
              m.resolve("model.safetensors"),
              h -> {
                h.set(
                    "model.layers.0.self_attn.q.weight",
                    h.remove("model.layers.0.self_attn.q_proj.weight"));
                return h;
              });
          return m;
        }
      case "neoShape":
        {
          Path m = BrokenModels.copy("gpt_neo", f.getParent());
          BrokenModels.editConfig(m, c -> c.put("intermediate_size", 100));
          return m;
        }
      case "llamaKv":
        {
          Path m = BrokenModels.copy("llama", f.getParent());
          BrokenModels.editConfig(m, c -> c.put("num_key_value_heads", 3));
          return m;
        }
      case "notAFolder":
        return Path.of(get("text"));
      case "positions0":
        return configEdit("tiny", f, c -> c.put("n_positions", 0));
      case "vocabNegative":
        return configEdit("tiny", f, c -> c.put("vocab_size", -1));
      case "noLayers":
        return configEdit("tiny", f, c -> c.remove("n_layer"));
      case "mamba":
        return configEdit("tiny", f, c -> c.put("model_type", "mamba"));
      case "heads":
        return configEdit("tiny", f, c -> c.put("n_head", 5));
      case "inner0":
        return configEdit("tiny", f, c -> c.put("n_inner", 0));
      case "activation":
        return configEdit("tiny", f, c -> c.put("activation_function", "swish7"));
      case "widths":
        return configEdit(
            "tiny",
            f,
            c -> {
              c.putArray("lopper_mlp_widths").add(1).add(2).add(3);
              return c;
            });
      case "configNotJson":
        {
          Path m = copyOf("tiny", f);
          Files.writeString(m.resolve("config.json"), "{\"model_type\": \"gpt2\",");
          return m;
        }
      case "llama2c":
        return GoldenModels.folder("llama2c").resolve("tied.bin").toAbsolutePath();
      case "plainFile":
        return write(dir.resolve("plain-file"), "not a folder\n".getBytes(StandardCharsets.UTF_8));
      case "text":
        return TinyLm.TEXT.toAbsolutePath();
      case "missing":
        return dir.resolve("no-such-file.txt");
      case "utf16":
        return write(
            dir.resolve("utf16.txt"),
            "Some text, saved by an editor as UTF-16.\n"
                .repeat(20)
                .getBytes(StandardCharsets.UTF_16LE),
            new byte[] {(byte) 0xff, (byte) 0xfe});
      case "latin1":
        return write(
            dir.resolve("latin1.txt"),
            "first line\ncaf\u00e9 au lait\n".getBytes(StandardCharsets.ISO_8859_1));
      case "short":
        return write(dir.resolve("short.txt"), "hi".getBytes(StandardCharsets.UTF_8));
      case "e2eBad":
        return write(
            dir.resolve("e2e.csv"), "meaning,text\na,b\n".getBytes(StandardCharsets.UTF_8));
      case "jsonlBad":
        return write(
            dir.resolve("broken.jsonl"),
            "{\"p\": \"a\", \"t\": \"b\"}\n{\"p\": \"a\", \"t\"\n"
                .getBytes(StandardCharsets.UTF_8));
      case "hyp3":
        return write(
            dir.resolve("hyp.txt"), "a b c\nd e f\ng h i\n".getBytes(StandardCharsets.UTF_8));
      case "ref3":
        return write(
            dir.resolve("ref3.txt"), "a b c\nd e f\ng h\n".getBytes(StandardCharsets.UTF_8));
      case "ref2":
        return write(dir.resolve("ref2.txt"), "a b c\nd e f\n".getBytes(StandardCharsets.UTF_8));
      case "gridTiny":
        return grid(
            dir, "grid-tiny.yaml", "methods: [gum]", "leftover: [0.5]", "train: {steps: 8}");
      case "gridDuplicate":
        return grid(
            dir,
            "grid-dup.yaml",
            "methods: [gum]",
            "leftover: [0.5]",
            "leftover: [0.25]",
            "train: {steps: 8}");
      case "gridUtf16":
        {
          Path g =
              grid(
                  dir, "grid-utf16.yaml", "methods: [gum]", "leftover: [0.5]", "train: {steps: 8}");
          String text = Files.readString(g);
          return write(
              g, text.getBytes(StandardCharsets.UTF_16LE), new byte[] {(byte) 0xff, (byte) 0xfe});
        }
      case "gridUnknownKey":
        return grid(dir, "grid-key.yaml", "methods: [gum]", "leftovr: [0.5]", "train: {steps: 8}");
      case "gridLeftover":
        return grid(
            dir, "grid-leftover.yaml", "methods: [gum]", "leftover: [1.5]", "train: {steps: 8}");
      case "gridBadYaml":
        return grid(dir, "grid-bad.yaml", "methods: [gum", "leftover: [0.5]");
      case "gridTrainOption":
        return grid(
            dir, "grid-train.yaml", "methods: [gum]", "leftover: [0.5]", "train:", "  stpes: 8");
      case "gridTrainType":
        return grid(
            dir, "grid-type.yaml", "methods: [gum]", "leftover: [0.5]", "train:", "  steps: many");
      case "gridGumLambda":
        return grid(
            dir,
            "grid-lambda.yaml",
            "methods: [gum]",
            "leftover: [0.5]",
            "train: {steps: 8, gum_lambda: -1}");
      default:
        throw new IllegalArgumentException("no fixture " + name);
    }
  }

  private Path copyOf(String fixture, Path to) throws IOException {
    Path from = Path.of(get(fixture));
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path p : files.toList()) {
        Files.copy(p, to.resolve(p.getFileName()));
      }
    }
    return to;
  }

  private Path poisoned(Path f, String tensor, int index, float value) throws IOException {
    Path m = copyOf("tiny", f);
    BrokenModels.poison(m.resolve("model.safetensors"), tensor, index, value);
    return m;
  }

  private Path configEdit(String fixture, Path f, Function<ObjectNode, JsonNode> edit)
      throws IOException {
    Path m = copyOf(fixture, f);
    BrokenModels.editConfig(
        m,
        c -> {
          edit.apply(c);
          return c;
        });
    return m;
  }

  private Path headerEdit(String fixture, Path f, Consumer<ObjectNode> edit) throws IOException {
    Path m = copyOf(fixture, f);
    BrokenModels.editHeader(
        m.resolve("model.safetensors"),
        h -> {
          edit.accept(h);
          return h;
        });
    return m;
  }

  private static Path write(Path file, byte[] bytes, byte[]... prefix) throws IOException {
    byte[] head = prefix.length == 0 ? new byte[0] : prefix[0];
    byte[] all = Arrays.copyOf(head, head.length + bytes.length);
    System.arraycopy(bytes, 0, all, head.length, bytes.length);
    Files.write(file, all);
    return file;
  }

  /** A grid config over the tiny model and text, with {@code lines} after model, data and out. */
  private Path grid(Path dir, String name, String... lines) throws IOException {
    List<String> all = new ArrayList<>(List.of("model: " + get("tiny"), "data: " + get("text")));
    all.addAll(List.of(lines));
    // out last: the line numbers of the cases count model and data as lines 1 and 2
    all.add("out: " + dir.resolve(name + ".grid"));
    Path g = dir.resolve(name);
    Files.write(g, all, StandardCharsets.UTF_8);
    return g;
  }

  /** A hub whose every answer redirects to a file: URL, as a hostile proxy might. */
  private String redirectingHub() {
    if (redirectingHub == null) {
      try {
        redirectingHub =
            HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      redirectingHub.createContext(
          "/",
          ex -> {
            ex.getResponseHeaders().set("Location", "file:///etc/passwd");
            ex.getResponseHeaders().set("X-Repo-Commit", "a".repeat(40));
            ex.getResponseHeaders().set("Content-Length", "0");
            ex.sendResponseHeaders(302, -1);
            ex.close();
          });
      redirectingHub.start();
    }
    return "http://127.0.0.1:" + redirectingHub.getAddress().getPort();
  }
}
