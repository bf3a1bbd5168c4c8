package dev.lopper.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folder writes and what recovery makes of the leftovers of a write that was killed. */
class AtomicFilesTest {
  @TempDir Path tmp;

  @Test
  void writeFolderReplacesTheTargetAndLeavesNothingBeside() throws IOException {
    Path target = tmp.resolve("checkpoint");
    AtomicFiles.writeFolder(target, f -> Files.writeString(f.resolve("state.json"), "1"));
    AtomicFiles.writeFolder(target, f -> Files.writeString(f.resolve("state.json"), "2"));
    assertEquals("2", Files.readString(target.resolve("state.json")));
    assertEquals(List.of("checkpoint"), names());
  }

  @Test
  void aTargetMovedAsideIsPutBackAndThePartialNewOneDeleted() throws IOException {
    // as writeFolder leaves it when killed between its two moves
    Path old = Files.createDirectory(tmp.resolve(".checkpoint.old.14466401280082134358"));
    Files.writeString(old.resolve("state.json"), "4");
    Path partial = Files.createDirectory(tmp.resolve(".checkpoint.16430971038915842510"));
    Files.writeString(partial.resolve("weights.safetensors"), "half");
    Files.createDirectory(tmp.resolve(".checkpoint-padded.123")); // another target's: untouched
    Files.createDirectory(tmp.resolve(".model.99"));

    assertTrue(AtomicFiles.recoverFolder(tmp.resolve("checkpoint")));
    assertEquals("4", Files.readString(tmp.resolve("checkpoint/state.json")));
    assertEquals(List.of(".checkpoint-padded.123", ".model.99", "checkpoint"), names());
    assertFalse(AtomicFiles.recoverFolder(tmp.resolve("checkpoint")), "nothing more to do");
  }

  @Test
  void besideAnIntactTargetLeftoversAreDeleted() throws IOException {
    Path target = Files.createDirectory(tmp.resolve("checkpoint"));
    Files.writeString(target.resolve("state.json"), "8");
    // killed after the new one moved in, while the old one was being deleted
    Path old = Files.createDirectory(tmp.resolve(".checkpoint.old.7"));
    Files.writeString(old.resolve("state.json"), "4");
    Files.createDirectory(tmp.resolve(".checkpoint.8")); // a write killed before its swap

    assertFalse(AtomicFiles.recoverFolder(target));
    assertEquals("8", Files.readString(target.resolve("state.json")));
    assertEquals(List.of("checkpoint"), names());
  }

  @Test
  void nothingToRecoverInAMissingFolder() {
    assertFalse(AtomicFiles.recoverFolder(tmp.resolve("absent/checkpoint")));
  }

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
