package dev.lopper.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lopper.LopperException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PromptTemplateTest {
  @Test
  void fillsFieldsAndKeepsEscapedBraces() {
    PromptTemplate t = PromptTemplate.parse("{{json}} {a}-{b_2.x} {a}}", "prompt template");
    assertEquals(Set.of("a", "b_2.x"), t.fields());
    assertEquals(
        "{json} 1-two 1}", t.render(Map.of("a", "1", "b_2.x", "two"), "f:1", "prompt template"));
    assertEquals("", PromptTemplate.parse("", "t").render(Map.of(), "f:1", "t"));
  }

  @Test
  void errors() {
    for (String bad : List.of("{", "{}", "{1a}", "x {a b}", "{a")) {
      assertThrows(LopperException.class, () -> PromptTemplate.parse(bad, "prompt template"), bad);
    }
    assertEquals(
        "prompt template \"Q: {a b}\": expected {field} at character 4, found \"{a b}\" (write {{"
            + " for a literal brace)",
        assertThrows(
                LopperException.class, () -> PromptTemplate.parse("Q: {a b}", "prompt template"))
            .getMessage());
    PromptTemplate t = PromptTemplate.parse("{a}{c}", "target template");
    assertEquals(
        "f.jsonl:3: missing field \"c\" (used by the target template)",
        assertThrows(
                LopperException.class,
                () -> t.render(Map.of("a", "x"), "f.jsonl:3", "target template"))
            .getMessage());
    assertEquals(
        "target template \"{a}{c}\": unknown field {c}; this task has [a, b]",
        assertThrows(
                LopperException.class, () -> t.requireKnown(Set.of("b", "a"), "target template"))
            .getMessage());
  }

  @Test
  void unescapeForTheCommandLine() {
    assertEquals(
        "Table: {mr}\nDescription:\t\\ \\x",
        PromptTemplate.unescape("Table: {mr}\\nDescription:\\t\\\\ \\x"));
  }
}
