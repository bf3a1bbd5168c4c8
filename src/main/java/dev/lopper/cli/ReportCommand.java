package dev.lopper.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.analysis.RunReport;
import dev.lopper.card.RunCard;
import dev.lopper.io.Json;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code lopper report}: (re)builds a run folder's self-contained HTML report. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Builds the self-contained HTML report of a run folder.",
      "",
      "Writes RUN_DIR/report.html from what the run folder holds: run.json",
      "(overview, final metrics, configuration, MLP widths), log.jsonl (training",
      "curves), masks.json or model/ (widths when run.json lacks them) and",
      "analysis/ (from lopper analyze --out RUN_DIR/analysis: redundancy tables",
      "and plots). Any subset may be present. The page embeds its plots and",
      "styles: it opens offline and can be sent as one file. The model cards",
      "(model/README.md) are rewritten with the same figures."
    })
final class ReportCommand implements Callable<Integer> {
  @Parameters(paramLabel = "RUN_DIR", description = "The run folder.")
  Path run;

  @Mixin FormatOption format;

  @Override
  public Integer call() {
    RunCard.refresh(run); // the model cards gain the evaluation and analysis figures too
    Path report = RunReport.write(run);
    ObjectNode o = Json.object();
    o.put("report", report.toString());
    format.print(o, "wrote " + report);
    return 0;
  }
}
