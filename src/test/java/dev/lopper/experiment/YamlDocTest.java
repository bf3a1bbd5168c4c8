package dev.lopper.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lopper.LopperException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every key and list item knows its line, in block and flow style. */
class YamlDocTest {
  private static final Path F = Path.of("g.yaml");

  @Test
  void linesOfKeysAndItems() {
    YamlDoc d = YamlDoc.parse(F, String.join("\n",
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
    LopperException e = assertThrows(LopperException.class,
        () -> YamlDoc.parse(F, "a: 1\nb: [1, 2\nc: 3\n"));
    assertEquals(true, e.getMessage().startsWith("g.yaml:"), e.getMessage());
    assertEquals(true, e.getMessage().contains("not valid YAML"), e.getMessage());
  }
}
