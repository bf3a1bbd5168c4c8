package dev.lopper.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lopper.cli.Main;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tiny byte-level GPT-2 pretrained by Lopper itself on a real English text slice
 * (src/test/resources/text/sotu-slice.txt), made once per test JVM through the CLI.
 */
public final class TinyLm {
  public static final Path TEXT = Path.of("src/test/resources/text/sotu-slice.txt");
  private static Path pretrained;

  private TinyLm() {}

  /** The pretrained model folder (2 layers, hidden 64, MLP 256, byte tokenizer). */
  public static synchronized Path pretrained() {
    if (pretrained == null) {
      try {
        Path root = Files.createTempDirectory("lopper-tinylm");
        root.toFile().deleteOnExit();
        Path init = root.resolve("init");
        assertEquals(
            0,
            Main.run(
                "init",
                "--out",
                init.toString(),
                "--layers",
                "2",
                "--hidden",
                "64",
                "--ffn",
                "256",
                "--positions",
                "128",
                "--seed",
                "1"));
        Path run = root.resolve("pretrain");
        assertEquals(
            0,
            Main.run(
                "finetune",
                "--model",
                init.toString(),
                "--data",
                TEXT.toString(),
                "--steps",
                "250",
                "--seq-len",
                "64",
                "--batch-size",
                "8",
                "--lr",
                "3e-3",
                "--no-progress",
                "--out",
                run.toString()));
        pretrained = run.resolve("model");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return pretrained;
  }
}
