package dev.lopper.bench;

import java.util.Set;

/**
 * What {@code lopper bench} measures and on which shapes.
 *
 * @param train shape of the training-throughput and pruning-overhead runs
 * @param forward shape of the forward-throughput runs (dense and shrunk)
 * @param memory shape of the long run that watches resident memory
 * @param vocab vocabulary size of every model (GPT-2's by default: the head is real work)
 * @param steps timed training steps per measurement
 * @param reps timed forward passes per model
 * @param warmup untimed steps or passes before each measurement
 * @param memorySteps length of the memory run
 * @param parts which of train, forward, pruning, memory to run
 * @param python the peer's Python, or null to run Lopper alone
 */
public record BenchSettings(BenchShape train, BenchShape forward, BenchShape memory, int vocab,
    int steps, int reps, int warmup, int memorySteps, Set<String> parts, String python) {
  public static final Set<String> PARTS = Set.of("train", "forward", "pruning", "memory");

  public boolean runs(String part) {
    return parts.contains(part);
  }
}
