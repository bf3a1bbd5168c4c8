/**
 * Lopper for programs: load a model, prune it while fine-tuning, evaluate it, analyse its neurons,
 * shrink and export it, as plain Java calls.
 *
 * <p>{@link dev.lopper.api.Lopper} is where a program starts. {@link dev.lopper.api.Training} holds
 * a run's settings by name, at the command line's defaults, and runs it into a run folder; the
 * command line's {@code finetune} and {@code prune} run through it, so the same settings give the
 * same weights. {@link dev.lopper.api.Model} and {@link dev.lopper.api.TrainedRun} hold native
 * memory and are closed with try-with-resources; {@link dev.lopper.api.EvalResult} and {@link
 * dev.lopper.api.Redundancy} are plain values.
 *
 * <pre>{@code
 * try (TrainedRun run =
 *         Lopper.prune("gpt2", Path.of("train.txt"), Path.of("runs/gum50"), "gum", 0.5)
 *             .valid(Path.of("valid.txt"))
 *             .steps(2000)
 *             .seed(1)
 *             .run();
 *     Model dense = Lopper.open("gpt2")) {
 *   Model pruned = run.model(); // runs/gum50/model, closed with the run
 *   double ppl = pruned.perplexity(Path.of("test.txt")).perplexity();
 *   Redundancy r = pruned.analyse(Analysis.on(Path.of("valid.txt")).baseline(dense));
 *   System.out.printf("perplexity %.2f, uniqueness ratio %.3f%n", ppl, r.uniquenessRatio());
 * }
 * }</pre>
 *
 * <p>Bad input throws {@link dev.lopper.LopperException} with a one-line message naming the file,
 * field or setting, what was expected and what was found, before anything is written. The JVM needs
 * {@code -Dai.djl.offline=true} (or {@code DJL_OFFLINE=true}) so that DJL does not try the network
 * at start-up.
 */
package dev.lopper.api;
