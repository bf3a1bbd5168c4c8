package dev.lopper.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.LopperException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Any JSONL file (or JSON list) of objects with a prompt field and a target field (names from
 * {@link TaskOptions#promptField()} and {@link TaskOptions#targetField()}). The target may be a
 * string or a list of strings (several references). The id is the {@code id} field when there is
 * one, else file:line. Every field with a text, number or boolean value can be used in the
 * templates.
 *
 * <p>Default templates: prompt {@code {<prompt field>}}, target {@code " {<target field>}"} (a
 * space, then the target).
 */
public final class JsonlLoader {
  private JsonlLoader() {}

  public static List<TaskExample> load(Path file, TaskOptions options) {
    String promptField = options.promptField();
    String targetField = options.targetField();
    ExampleTemplates templates =
        new ExampleTemplates(
            options, "{" + promptField + "}", " {" + targetField + "}", targetField, null);
    List<TaskExample> out = new ArrayList<>();
    for (JsonRecords.JsonRecord r : JsonRecords.read(file)) {
      r.text(promptField); // a missing prompt field is an error even if the template skips it
      List<String> refs = references(r, targetField);
      Map<String, String> fields = new HashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = r.node().fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        if (f.getValue().isValueNode()
            && !f.getValue().isNull()
            && !f.getKey().equals(targetField)) {
          fields.put(f.getKey(), f.getValue().asText());
        }
      }
      String id = r.optionalText("id");
      id = id == null ? r.where() : id;
      templates.add(out, id, id, fields, refs, r.where());
    }
    if (out.isEmpty()) {
      throw new LopperException(file + ": no examples found");
    }
    return out;
  }

  private static List<String> references(JsonRecords.JsonRecord r, String field) {
    JsonNode v = r.node().get(field);
    if (v != null && v.isArray()) {
      List<String> refs = new ArrayList<>();
      for (JsonNode e : v) {
        if (!e.isValueNode() || e.isNull()) {
          throw new LopperException(
              r.where()
                  + ": field \""
                  + field
                  + "\": expected text or a list of texts, found a list holding "
                  + JsonRecords.kind(e));
        }
        refs.add(e.asText());
      }
      if (refs.isEmpty()) {
        throw new LopperException(
            r.where() + ": field \"" + field + "\": the list of references is empty");
      }
      return refs;
    }
    return List.of(r.text(field));
  }
}
