package io.pgvectorops.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.pgvectorops.common.Text;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one form of every file error an operator reads, whatever file it is in (config.yml, a job
 * file, a target file): {@code FILE: key 'PATH': PROBLEM}, one line per problem, in the words of
 * the docs and never a Java name.
 */
public final class YamlErrors {
  private YamlErrors() {}

  /**
   * A problem of a cross-key check, worded "PATH: PROBLEM", in the form "key 'PATH': PROBLEM"; one
   * already in that form (a credential's, passed on) stays as it is. Every such check names its
   * key.
   */
  public static String keyed(String pathProblem) {
    int colon = pathProblem.indexOf(": ");
    if (pathProblem.startsWith("key '") || colon < 0) {
      return pathProblem;
    }
    return "key '" + pathProblem.substring(0, colon) + "': " + pathProblem.substring(colon + 2);
  }

  /**
   * The error of a file with these problems, one line each.
   *
   * @param problems each "key 'PATH': PROBLEM" ({@link #keyed}, {@link #describe}) or a problem of
   *     the whole file, without a key
   */
  public static ConfigError error(String file, List<String> problems) {
    return new ConfigError(String.join("\n", problems.stream().map(p -> file + ": " + p).toList()));
  }

  /** The error of a file that cross-key checks found these "PATH: PROBLEM"s in. */
  public static ConfigError ofChecks(String file, List<String> pathProblems) {
    return error(file, pathProblems.stream().map(YamlErrors::keyed).toList());
  }

  /**
   * One line an operator can act on: the key, the form expected with an example, and what the file
   * holds there (from {@code given}, the YAML under the prefix, when known). Never a Java name.
   */
  public static String describe(Exception e, String prefix, JsonNode given) {
    if (e instanceof UnrecognizedPropertyException u) {
      String path = prefix + path(u);
      return "key '"
          + path
          + "': unknown key (known here: "
          + u.getKnownPropertyIds().stream()
              .map(Object::toString)
              .sorted()
              .collect(Collectors.joining(", "))
          + ")";
    }
    Class<?> target = targetType(e);
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty() && target != null) {
      return "key '" + prefix + path(m) + "': expected " + expected(target) + got(given, m);
    }
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      return "key '" + prefix + path(m) + "': " + Text.firstLine(m.getOriginalMessage());
    }
    if (e instanceof JsonProcessingException p && p.getLocation() != null) {
      return "invalid YAML at line "
          + p.getLocation().getLineNr()
          + ": "
          + Text.firstLine(p.getOriginalMessage());
    }
    return Text.firstLine(e.getMessage());
  }

  private static Class<?> targetType(Exception e) {
    if (e instanceof MismatchedInputException mi) {
      return mi.getTargetType();
    }
    if (e instanceof ValueInstantiationException vi && vi.getType() != null) {
      return vi.getType().getRawClass();
    }
    return null;
  }

  /** The form a value must have, with an example, in the words of the job files' docs. */
  public static String expected(Class<?> type) {
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == Double.class
        || type == double.class
        || type == Float.class
        || type == float.class) {
      return "a number such as 0.5";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a whole number such as 10";
    }
    if (type == DataSize.class) {
      return "a size such as 10MB";
    }
    if (type == Duration.class || type == java.time.Duration.class) {
      return "a duration such as 30s, 15m or 2h";
    }
    if (type.isEnum()) {
      return "one of "
          + Arrays.stream(type.getEnumConstants())
              .map(Object::toString)
              .collect(Collectors.joining(", "));
    }
    if (Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    return type == String.class ? "text" : "a mapping of keys";
  }

  /** ", got 0" when the value at the error's path can be shown (scalars only). */
  private static String got(JsonNode given, JsonMappingException e) {
    JsonNode n = given;
    for (JsonMappingException.Reference r : e.getPath()) {
      if (n == null) {
        return "";
      }
      n = r.getFieldName() != null ? n.get(r.getFieldName()) : n.get(r.getIndex());
    }
    if (n == null || n.isContainerNode()) {
      return n == null ? "" : n.isArray() ? ", got a list" : ", got a mapping";
    }
    return ", got " + (n.isTextual() ? "'" + Text.firstLine(n.asText()) + "'" : n.asText());
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }
}
