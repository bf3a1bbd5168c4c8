package dev.lopper.data;

import java.nio.file.Path;
import java.util.List;

/** Loads any {@link TaskKind} from a file (or, for LM, a file or folder). */
public final class Tasks {
  private Tasks() {}

  public static TaskData load(TaskKind kind, Path path, TaskOptions options) {
    if (kind == TaskKind.LM) {
      return new TaskData(
          kind, path, List.of(), TextCorpus.read(path, options.corpus()).documents());
    }
    List<TaskExample> examples =
        switch (kind) {
          case E2E -> E2eLoader.load(path, options);
          case SAMSUM, DIALOGSUM -> DialogueLoader.load(kind, path, options);
          case WIKISQL -> WikiSqlLoader.load(path, options);
          case JSONL -> JsonlLoader.load(path, options);
          case LM -> throw new AssertionError("handled above");
        };
    return new TaskData(kind, path, examples, List.of());
  }

  /** The default prompt template of a task (null for LM, which has none). */
  public static String defaultPromptTemplate(TaskKind kind, TaskOptions options) {
    return switch (kind) {
      case E2E -> E2eLoader.PROMPT;
      case SAMSUM, DIALOGSUM -> DialogueLoader.PROMPT;
      case WIKISQL -> WikiSqlLoader.PROMPT;
      case JSONL -> "{" + options.promptField() + "}";
      case LM -> null;
    };
  }

  /** The default target template of a task (null for LM). */
  public static String defaultTargetTemplate(TaskKind kind, TaskOptions options) {
    return switch (kind) {
      case E2E -> E2eLoader.TARGET;
      case SAMSUM, DIALOGSUM -> DialogueLoader.TARGET;
      case WIKISQL -> WikiSqlLoader.TARGET;
      case JSONL -> " {" + options.targetField() + "}";
      case LM -> null;
    };
  }
}
