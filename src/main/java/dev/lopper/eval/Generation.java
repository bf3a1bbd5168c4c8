package dev.lopper.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.io.Json;
import java.util.List;

/**
 * One evaluation example's generated text next to its references.
 *
 * @param id the example's id (record id or file:line)
 * @param prompt the prompt text (before any cut to fit the context)
 * @param hypothesis the generated text: new tokens up to the end-of-text id, decoded, without
 *     surrounding white space
 * @param references the texts it is scored against
 * @param promptTokens prompt tokens fed to the model
 * @param promptDropped prompt tokens cut from the left to fit the context
 * @param generatedTokens new tokens, the end-of-text id included when produced
 */
public record Generation(
    String id,
    String prompt,
    String hypothesis,
    List<String> references,
    int promptTokens,
    int promptDropped,
    int generatedTokens) {
  public Generation {
    references = List.copyOf(references);
  }

  /** One line of generations.jsonl. */
  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    o.put("id", id);
    o.put("prompt", prompt);
    o.put("hypothesis", hypothesis);
    ArrayNode refs = o.putArray("references");
    references.forEach(refs::add);
    o.put("prompt_tokens", promptTokens);
    if (promptDropped > 0) {
      o.put("prompt_dropped", promptDropped);
    }
    o.put("generated_tokens", generatedTokens);
    return o;
  }
}
