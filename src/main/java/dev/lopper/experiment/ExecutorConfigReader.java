package dev.lopper.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the {@code executor:} section of a grid config. Every value is checked as sbatch would read
 * it, so that a typo fails here, at its line, before a single job is submitted.
 */
public final class ExecutorConfigReader {
  static final String SECTION = "executor";
  static final List<String> KEYS =
      List.of(
          "type",
          "partition",
          "account",
          "time",
          "cpus_per_task",
          "mem",
          "gres",
          "sbatch",
          "command",
          "poll");

  private static final Pattern TIME =
      Pattern.compile("\\d+(:\\d{1,2}){0,2}|\\d+-\\d{1,2}(:\\d{1,2}){0,2}|UNLIMITED|INFINITE");
  private static final Pattern MEM = Pattern.compile("\\d+[KMGT]?");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.,:+-]+");

  /** Options Lopper sets itself for every job, and the key that sets the others. */
  private static final Map<String, String> OWN_OPTIONS =
      Map.ofEntries(
          Map.entry("--job-name", "the job name carries the grid and run"),
          Map.entry("-J", "the job name carries the grid and run"),
          Map.entry("--output", "each job logs into its run folder"),
          Map.entry("-o", "each job logs into its run folder"),
          Map.entry("--error", "each job logs into its run folder"),
          Map.entry("-e", "each job logs into its run folder"),
          Map.entry("--dependency", "dependencies come from the plan"),
          Map.entry("-d", "dependencies come from the plan"),
          Map.entry("--chdir", "jobs run in the experiment's working directory"),
          Map.entry("-D", "jobs run in the experiment's working directory"),
          Map.entry("--array", "each run is one job"),
          Map.entry("-a", "each run is one job"),
          Map.entry("--parsable", "set by lopper"),
          Map.entry("--wrap", "the job script comes from the plan"),
          Map.entry("--test-only", "set by lopper"),
          Map.entry("--partition", "use executor.partition"),
          Map.entry("-p", "use executor.partition"),
          Map.entry("--account", "use executor.account"),
          Map.entry("-A", "use executor.account"),
          Map.entry("--time", "use executor.time"),
          Map.entry("-t", "use executor.time"),
          Map.entry("--cpus-per-task", "use executor.cpus_per_task"),
          Map.entry("-c", "use executor.cpus_per_task"),
          Map.entry("--mem", "use executor.mem"),
          Map.entry("--gres", "use executor.gres"));

  private final YamlDoc doc;

  private ExecutorConfigReader(YamlDoc doc) {
    this.doc = doc;
  }

  /** The section of {@code doc}, or the defaults (local workers) when it has none. */
  public static ExecutorConfig read(YamlDoc doc) {
    JsonNode n = doc.root().get(SECTION);
    return n == null || n.isNull()
        ? ExecutorConfig.defaults()
        : new ExecutorConfigReader(doc).of(n);
  }

  private ExecutorConfig of(JsonNode n) {
    if (!n.isObject()) {
      throw doc.error(
          SECTION, "expected a mapping (" + String.join(", ", KEYS) + "), found " + kind(n));
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KEYS.contains(k)) {
        throw doc.error(
            SECTION + "." + k, "unknown key (expected one of " + String.join(", ", KEYS) + ")");
      }
    }
    ExecutorConfig d = ExecutorConfig.defaults();
    String type = text(n, "type", null, null, d.type());
    if (!type.equals(ExecutorConfig.LOCAL) && !type.equals(ExecutorConfig.SLURM)) {
      throw doc.error(path("type"), "expected local or slurm, found \"" + type + "\"");
    }
    return new ExecutorConfig(
        type,
        text(n, "partition", NAME, "a partition name (or several, comma-separated)", null),
        text(n, "account", NAME, "an account name", null),
        text(n, "time", TIME, "a time limit such as 90, 04:00:00 or 1-12:00:00", null),
        cpus(n),
        text(n, "mem", MEM, "a memory size such as 16G or 4000 (MB)", null),
        text(n, "gres", NAME, "generic resources such as gpu:1 or gpu:a100:2", null),
        sbatch(n),
        text(n, "command", null, null, null),
        poll(n, d.pollSeconds()));
  }

  private static String path(String key) {
    return SECTION + "." + key;
  }

  /** A text value (numbers allowed where the pattern takes them: a time in minutes, MB). */
  private String text(JsonNode n, String key, Pattern pattern, String expected, String dflt) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return dflt;
    }
    boolean number = v.isIntegralNumber() && pattern != null && v.asLong() >= 0;
    if (!(v.isTextual() || number) || v.asText().isBlank()) {
      throw doc.error(
          path(key), "expected " + (expected == null ? "text" : expected) + ", found " + kind(v));
    }
    String s = v.asText().strip();
    if (pattern != null && !pattern.matcher(s).matches()) {
      throw doc.error(path(key), "expected " + expected + ", found \"" + s + "\"");
    }
    return s;
  }

  private int cpus(JsonNode n) {
    JsonNode v = n.get("cpus_per_task");
    if (v == null || v.isNull()) {
      return 1;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1) {
      throw doc.error(
          path("cpus_per_task"), "expected a whole number of CPUs, at least 1, found " + kind(v));
    }
    return v.asInt();
  }

  private double poll(JsonNode n, double dflt) {
    JsonNode v = n.get("poll");
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isNumber() || !(v.asDouble() > 0)) {
      throw doc.error(
          path("poll"),
          "expected the seconds between two looks at the queue (above 0), found " + kind(v));
    }
    return v.asDouble();
  }

  private List<String> sbatch(JsonNode n) {
    JsonNode v = n.get("sbatch");
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      throw doc.error(
          path("sbatch"),
          "expected a list of sbatch options (e.g. [--qos=long]), found " + kind(v));
    }
    for (int i = 0; i < v.size(); i++) {
      String p = path("sbatch") + "[" + i + "]";
      JsonNode o = v.get(i);
      if (!o.isTextual() || !o.asText().strip().startsWith("-")) {
        throw doc.error(p, "expected an sbatch option such as --qos=long, found " + kind(o));
      }
      String opt = o.asText().strip();
      String name = opt.startsWith("--") ? opt.split("[= ]", 2)[0] : opt.substring(0, 2);
      String why = OWN_OPTIONS.get(name);
      if (why != null) {
        throw doc.error(p, name + " is set by lopper for every job (" + why + ")");
      }
      if (opt.contains("\n")) {
        throw doc.error(p, "expected one option on one line, found a line break");
      }
      out.add(opt);
    }
    return out;
  }

  /** A YAML value as a message shows it. */
  private static String kind(JsonNode n) {
    if (n == null || n.isNull()) {
      return "nothing";
    }
    if (n.isContainerNode()) {
      return n.isObject() ? "a mapping" : "a list";
    }
    return n.isTextual() ? "\"" + n.asText() + "\"" : n.toString();
  }
}
