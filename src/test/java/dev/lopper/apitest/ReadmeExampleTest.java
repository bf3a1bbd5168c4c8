package dev.lopper.apitest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lopper.testing.TinyLm;
import dev.lopper.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's API example is {@link PruneExample} word for word, and it runs. */
class ReadmeExampleTest {
  private static final Path SOURCE = Path.of("src/test/java/dev/lopper/apitest/PruneExample.java");

  @TempDir Path tmp;

  @Test
  void theReadmeShowsTheExampleAsItIsCompiled() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("```java\nimport dev.lopper.api.");
    assertTrue(start >= 0, "README.md has a ```java block starting with the API's imports");
    int end = readme.indexOf("```\n", start + 8);
    String shown = readme.substring(start + "```java\n".length(), end);
    String compiled = Files.readString(SOURCE).replaceFirst("package [^;]+;\n\n", "");
    assertEquals(compiled, shown);
  }

  @Test
  void theExampleRuns() {
    Path model = TinyModels.gpt2WithTokenizer(tmp.resolve("dense"), 2);
    Path out = tmp.resolve("gum50");
    String text = TinyLm.TEXT.toString();
    PruneExample.main(new String[] {model.toString(), text, text, out.toString(), "8"});
    assertTrue(Files.isRegularFile(out.resolve("run.json")));
    assertTrue(Files.isRegularFile(out.resolve("model/model.safetensors")));
  }
}
