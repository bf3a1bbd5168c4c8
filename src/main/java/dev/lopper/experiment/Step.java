package dev.lopper.experiment;

import java.util.List;

/**
 * One command of a run, as its command-line arguments.
 *
 * @param name what it does: init, train, eval, analyze, report
 * @param args the arguments, the command's name first
 * @param marker a file (relative to the run folder) that exists once the step is done
 * @param resumeMarker a file whose presence means the step was interrupted and continues with
 *     {@code --resume}; null when the step starts over
 */
public record Step(String name, List<String> args, String marker, String resumeMarker) {
  public Step {
    args = List.copyOf(args);
  }
}
