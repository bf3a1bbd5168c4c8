package dev.lopper.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lopper.LopperException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every key and list item knows its line, in block and flow style. */
class YamlDocTest {
  private static final Path F = Path.of("g.yaml");

  @Test
  void linesOfKeysAndItems() {
    YamlDoc d =
        YamlDoc.parse(
            F,
            String.join(
                "\n",
                "# a comment",
                "model: m",
                "leftover:",
                "  - 0.5",
                "  - 0.25",
                "train: {steps: 10, lr: [1, 2]}",
                "pretrain:",
                "  init:",
                "    preset: tiny",
                ""));
    assertEquals("g.yaml:2: model", d.where("model"));
    assertEquals("g.yaml:3: leftover", d.where("leftover"));
    assertEquals("g.yaml:5: leftover[1]", d.where("leftover[1]"));
    assertEquals("g.yaml:6: train.lr[1]", d.where("train.lr[1]"));
    assertEquals("g.yaml:9: pretrain.init.preset", d.where("pretrain.init.preset"));
    assertEquals("g.yaml: nowhere", d.where("nowhere"));
  }

  @Test
  void syntaxErrorsNameTheLine() {
    LopperException e =
        assertThrows(LopperException.class, () -> YamlDoc.parse(F, "a: 1\nb: [1, 2\nc: 3\n"));
    assertEquals(true, e.getMessage().startsWith("g.yaml:"), e.getMessage());
    assertEquals(true, e.getMessage().contains("not valid YAML"), e.getMessage());
  }

  @Test
  void aDuplicatedKeyIsRefusedWithBothLines() {
    LopperException e =
        assertThrows(
            LopperException.class,
            () ->
                YamlDoc.parse(
                    F,
                    String.join(
                        "\n",
                        "model: m",
                        "leftover: [0.5]",
                        "methods: [gum]",
                        "leftover: [0.25]",
                        "")));
    assertEquals(
        "g.yaml:4: leftover: duplicated key (first at line 2); expected each key once",
        e.getMessage());
    e =
        assertThrows(
            LopperException.class,
            () ->
                YamlDoc.parse(
                    F,
                    String.join("\n", "train:", "  steps: 10", "  lr: 1e-3", "  steps: 20", "")));
    assertEquals(
        "g.yaml:4: train.steps: duplicated key (first at line 2); expected each key once",
        e.getMessage());
    e =
        assertThrows(
            LopperException.class, () -> YamlDoc.parse(F, "train: {steps: 1, steps: 2}\n"));
    assertEquals(
        true, e.getMessage().startsWith("g.yaml:1: train.steps: duplicated key"), e.getMessage());
  }

  @Test
  void theSameKeyInOtherObjectsIsNoDuplicate() {
    YamlDoc d =
        YamlDoc.parse(
            F,
            String.join(
                "\n",
                "train: {steps: 10}",
                "pretrain:",
                "  train: {steps: 20}",
                "runs:",
                "  - {steps: 1}",
                "  - {steps: 2}",
                ""));
    assertEquals(20, d.root().path("pretrain").path("train").path("steps").asInt());
    assertEquals("g.yaml:6: runs[1].steps", d.where("runs[1].steps"));
  }

  @Test
  void aUtf16FileSaysWhichEncodingItIs(@TempDir Path dir) throws IOException {
    Path g = dir.resolve("grid.yaml");
    Files.write(g, "\uFEFFmodel: m\n".getBytes(StandardCharsets.UTF_16BE));
    LopperException e = assertThrows(LopperException.class, () -> YamlDoc.read(g));
    assertEquals(
        g
            + ": expected UTF-8 text, found UTF-16BE (byte-order mark FE FF); convert the"
            + " file to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)",
        e.getMessage());
  }
}
