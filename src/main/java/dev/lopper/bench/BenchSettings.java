package dev.lopper.bench;

import java.util.List;
import java.util.Set;

/**
 * What {@code lopper bench} measures and on which shapes.
 *
 * @param train shape of the GPT-2 training-throughput and pruning-overhead runs
 * @param forward shape of the GPT-2 forward-throughput runs (dense and shrunk)
 * @param memory shape of the long run that watches resident memory
 * @param llamaTrain shape of the Llama training-throughput run
 * @param llamaForward shape of the Llama forward-throughput runs (dense and shrunk)
 * @param vocab vocabulary size of the GPT-2 models (GPT-2's by default: the head is real work)
 * @param steps timed training steps per measurement
 * @param reps timed forward passes per model
 * @param warmup untimed steps or passes before each measurement
 * @param memorySteps length of the memory run
 * @param matmuls the raw products the matmul part times
 * @param parts which of train, forward, pruning, memory, matmul to run
 * @param families which of gpt2, llama the train and forward parts time (pruning and memory always
 *     run on GPT-2)
 * @param python the peer's Python, or null to run Lopper alone
 * @param device where Lopper and the peer run (cpu, cuda:N)
 * @param bf16 whether the train and forward parts also run with bf16 matrix products (beside
 *     float32, and the peer under autocast)
 */
public record BenchSettings(
    BenchShape train,
    BenchShape forward,
    BenchShape memory,
    LlamaShape llamaTrain,
    LlamaShape llamaForward,
    int vocab,
    int steps,
    int reps,
    int warmup,
    int memorySteps,
    List<MatmulShape> matmuls,
    Set<String> parts,
    Set<String> families,
    String python,
    String device,
    boolean bf16) {
  public static final Set<String> PARTS = Set.of("train", "forward", "pruning", "memory", "matmul");
  public static final Set<String> FAMILIES = Set.of("gpt2", "llama");

  public boolean runs(String part) {
    return parts.contains(part);
  }

  public boolean times(String family) {
    return families.contains(family);
  }
}
