package io.pgvectorops.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How the dashboard shows a kind's run summary: its fields in the order the API writes them, each
 * with a label and a unit; a list of records is a table whose columns are the record's fields, a
 * nested record a group of its fields. Made from the summary record a kind declares ({@link
 * JobKind.Builder#reports}) by the same Jackson that writes the summary, so it names exactly the
 * keys the API gives; {@link Shown} on a component sets what its name does not say.
 */
public record SummaryLayout(List<Field> fields) {
  /** How a value is written. */
  public enum Unit {
    /** Only in {@link Shown}: taken from the name and type. */
    auto,
    text,
    /** A whole number, with thousands separators. */
    count,
    number,
    /** IEC units (KiB, MiB, ...). */
    bytes,
    /** Milliseconds with fractions: a query's latency. */
    latency,
    /** Milliseconds as a duration (1.2 s, 3 min 4 s). */
    duration,
    seconds,
    /** 0 to 1, written with three decimals: a recall. */
    ratio,
    /** 0 to 1, written as a percentage: a share, a residency. */
    percent,
    flag,
    time,
    /** A list of plain values. */
    list,
    /** Keys and values as they are. */
    map,
    /** A nested record: {@link Field#fields} are its fields. */
    group,
    /** A list of records: {@link Field#fields} are the columns. */
    table
  }

  /** One field: its JSON key, the label a person reads, its unit, and its own fields if any. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Field(String key, String label, Unit unit, List<Field> fields) {}

  private static final int MAX_DEPTH = 4;

  /** The layout of summaries of {@code type}, as {@code mapper} writes them. */
  public static SummaryLayout of(Class<? extends JobSummary> type, ObjectMapper mapper) {
    return new SummaryLayout(fields(mapper, mapper.constructType(type), 0));
  }

  /**
   * The layouts of the kinds that declare their summary, by kind name: made when the daemon starts,
   * so a summary record Jackson cannot lay out stops it there, not on a page.
   */
  public static Map<String, SummaryLayout> ofKinds(List<JobKind> kinds, ObjectMapper mapper) {
    Map<String, SummaryLayout> out = new LinkedHashMap<>();
    for (JobKind k : kinds) {
      k.summaryType().ifPresent(t -> out.put(k.name(), of(t, mapper)));
    }
    return Map.copyOf(out);
  }

  /** The fields of a record, or of every record a sealed interface permits (first seen first). */
  private static List<Field> fields(ObjectMapper mapper, JavaType type, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException(type + " nests deeper than a summary may");
    }
    Map<String, Field> out = new LinkedHashMap<>();
    for (Class<?> record : records(type.getRawClass())) {
      for (BeanPropertyDefinition p :
          mapper
              .getSerializationConfig()
              .introspect(mapper.constructType(record))
              .findProperties()) {
        if (p.couldSerialize()) {
          out.putIfAbsent(p.getName(), field(mapper, record, p, depth));
        }
      }
    }
    return List.copyOf(out.values());
  }

  private static Field field(
      ObjectMapper mapper, Class<?> record, BeanPropertyDefinition p, int d) {
    String name = p.getName();
    JavaType type = p.getPrimaryType();
    Optional<Shown> shown = shown(record, name);
    Unit unit =
        shown.map(Shown::unit).filter(u -> u != Unit.auto).orElseGet(() -> unitOf(name, type));
    String label = shown.map(Shown::label).filter(l -> !l.isEmpty()).orElseGet(() -> label(name));
    List<Field> inner =
        switch (unit) {
          case group -> fields(mapper, type, d + 1);
          case table -> fields(mapper, type.getContentType(), d + 1);
          default -> List.of();
        };
    return new Field(name, label, unit, inner);
  }

  /** The unit a field's name and type imply. */
  static Unit unitOf(String name, JavaType type) {
    if (type.isCollectionLikeType() || type.isArrayType()) {
      return structured(type.getContentType().getRawClass()) ? Unit.table : Unit.list;
    }
    if (type.isMapLikeType()) {
      return Unit.map;
    }
    Class<?> raw = type.getRawClass();
    if (structured(raw)) {
      return Unit.group;
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return Unit.flag;
    }
    if (Temporal.class.isAssignableFrom(raw)) {
      return Unit.time;
    }
    boolean floating = raw == double.class || raw == Double.class || raw == float.class;
    if (!floating && !type.isPrimitive() && !Number.class.isAssignableFrom(raw)) {
      return Unit.text;
    }
    if (name.startsWith("bytes") || name.endsWith("Bytes")) {
      return Unit.bytes;
    }
    if (name.endsWith("Millis") || name.equals("millis")) {
      return Unit.duration;
    }
    if (name.endsWith("Seconds")) {
      return Unit.seconds;
    }
    if (floating) {
      return floatingUnit(name);
    }
    return Unit.count;
  }

  /** A double's unit: a latency, a recall, a share of 0 to 1 written as a percentage, or none. */
  private static Unit floatingUnit(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (name.endsWith("Ms")) {
      return Unit.latency;
    }
    if (lower.contains("recall")) {
      return Unit.ratio;
    }
    return lower.contains("share") || lower.contains("residency") ? Unit.percent : Unit.number;
  }

  /**
   * "probeSets" reads "probe sets", "sizeBytes" "size", "p95Ms" "p95": the unit's word goes, the
   * value shows its unit.
   */
  static String label(String name) {
    String words =
        name.replaceAll("([a-z0-9])([A-Z])", "$1 $2")
            .replaceAll("([A-Z]+)([A-Z][a-z])", "$1 $2")
            .toLowerCase(Locale.ROOT);
    String bare = words.replaceFirst(" (bytes|ms|millis|seconds)$", "");
    return words.equals("millis") || words.equals("seconds") ? "time" : bare;
  }

  private static boolean structured(Class<?> raw) {
    return raw.isRecord()
        || (raw.isSealed()
            && Arrays.stream(raw.getPermittedSubclasses()).allMatch(Class::isRecord));
  }

  private static List<Class<?>> records(Class<?> raw) {
    if (raw.isRecord()) {
      return List.of(raw);
    }
    if (structured(raw)) {
      return List.of(raw.getPermittedSubclasses());
    }
    throw new IllegalArgumentException(
        raw.getName() + " is neither a record nor sealed over records");
  }

  private static Optional<Shown> shown(Class<?> record, String name) {
    return Arrays.stream(record.getRecordComponents())
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .map(c -> c.getAnnotation(Shown.class));
  }
}
