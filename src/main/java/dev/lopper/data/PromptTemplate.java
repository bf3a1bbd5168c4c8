package dev.lopper.data;

import dev.lopper.LopperException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A text with {@code {field}} placeholders, filled from a record's fields. A field name is a letter
 * or underscore followed by letters, digits, {@code _ . -}. <code>&#123;&#123;</code> and <code>
 * &#125;&#125;</code> write literal braces; a lone <code>&#125;</code> is literal too, a lone
 * <code>&#123;</code> is an error.
 */
public final class PromptTemplate {
  private final String text;
  private final List<String> parts; // literal, field, literal, field, ..., literal
  private final Set<String> fields;

  private PromptTemplate(String text, List<String> parts) {
    this.text = text;
    this.parts = List.copyOf(parts);
    Set<String> f = new LinkedHashSet<>();
    for (int i = 1; i < parts.size(); i += 2) {
      f.add(parts.get(i));
    }
    this.fields = f;
  }

  /** Parses {@code template}; {@code what} names it in errors (e.g. "prompt template"). */
  public static PromptTemplate parse(String template, String what) {
    List<String> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c == '{' && template.startsWith("{{", i)) {
        literal.append('{');
        i += 2;
      } else if (c == '}' && template.startsWith("}}", i)) {
        literal.append('}');
        i += 2;
      } else if (c == '{') {
        int close = template.indexOf('}', i);
        String name = close < 0 ? "" : template.substring(i + 1, close);
        if (!isFieldName(name)) {
          throw new LopperException(
              what
                  + " \""
                  + template
                  + "\": expected {field} at character "
                  + (i + 1)
                  + ", found \""
                  + template.substring(i, close < 0 ? template.length() : close + 1)
                  + "\" (write {{ for a literal brace)");
        }
        parts.add(literal.toString());
        parts.add(name);
        literal.setLength(0);
        i = close + 1;
      } else {
        literal.append(c);
        i++;
      }
    }
    parts.add(literal.toString());
    return new PromptTemplate(template, parts);
  }

  /** The placeholders, in order of first use. */
  public Set<String> fields() {
    return fields;
  }

  /** Fails when the template uses a field outside {@code known}. */
  public PromptTemplate requireKnown(Collection<String> known, String what) {
    for (String f : fields) {
      if (!known.contains(f)) {
        throw new LopperException(
            what
                + " \""
                + text
                + "\": unknown field {"
                + f
                + "}; this task has "
                + new TreeSet<>(known));
      }
    }
    return this;
  }

  /**
   * Fills the placeholders from {@code values}; {@code where} (file:line) and {@code what} name the
   * record and template when a field is missing.
   */
  public String render(Map<String, String> values, String where, String what) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < parts.size(); i++) {
      if (i % 2 == 0) {
        out.append(parts.get(i));
      } else {
        String v = values.get(parts.get(i));
        if (v == null) {
          throw new LopperException(
              where + ": missing field \"" + parts.get(i) + "\" (used by the " + what + ")");
        }
        out.append(v);
      }
    }
    return out.toString();
  }

  public String text() {
    return text;
  }

  /**
   * Turns the escapes a shell cannot type into characters: {@code \n}, {@code \t} and {@code \\};
   * any other backslash stays as it is. For templates given on the command line.
   */
  public static String unescape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(i + 1);
        if (n == 'n' || n == 't' || n == '\\') {
          out.append(n == 'n' ? '\n' : n == 't' ? '\t' : '\\');
          i++;
          continue;
        }
      }
      out.append(c);
    }
    return out.toString();
  }

  private static boolean isFieldName(String name) {
    if (name.isEmpty() || !(Character.isLetter(name.charAt(0)) || name.charAt(0) == '_')) {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return text;
  }
}
