package io.pgvectorops.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.pgvectorops.jobs.SummaryLayout.Field;
import io.pgvectorops.jobs.SummaryLayout.Unit;
import io.pgvectorops.kinds.JobKinds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every shipped kind declares the record its runs report in, and the layout made from it names the
 * keys the API writes, each with a label and a unit the dashboard knows.
 */
class SummaryLayoutTest {
  static final ObjectMapper MAPPER = Jackson.newObjectMapper();

  record Shape(String shape, long sizeBytes, Double recall, Double p95Ms) {}

  sealed interface Report permits Measured, Planned {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Measured(String index, Double recall, Long groundTruthMillis) implements Report {}

  record Planned(String index, String probes) implements Report {}

  record Sample(
      boolean dryRun,
      @Shown(label = "WAL written") Long walBytes,
      int statements,
      Long intervalSeconds,
      Instant measuredAt,
      List<String> notFound,
      Map<String, String> settings,
      Shape current,
      List<Shape> shapes,
      List<Report> probeSets,
      @Shown(unit = Unit.ratio) double hitShare,
      double factor,
      String plan,
      double residencyBefore,
      Double starvedShare)
      implements JobSummary {}

  @Test
  void aSummaryRecordGivesItsFieldsInTheApisOrderWithLabelsAndUnits() {
    List<Field> f = SummaryLayout.of(Sample.class, MAPPER).fields();
    assertThat(f)
        .extracting(Field::key)
        .containsExactly(
            "dryRun",
            "walBytes",
            "statements",
            "intervalSeconds",
            "measuredAt",
            "notFound",
            "settings",
            "current",
            "shapes",
            "probeSets",
            "hitShare",
            "factor",
            "plan",
            "residencyBefore",
            "starvedShare");
    assertThat(f)
        .extracting(Field::unit)
        .containsExactly(
            Unit.flag,
            Unit.bytes,
            Unit.count,
            Unit.seconds,
            Unit.time,
            Unit.list,
            Unit.map,
            Unit.group,
            Unit.table,
            Unit.table,
            Unit.ratio,
            Unit.number,
            Unit.text,
            Unit.percent,
            Unit.percent);
    assertThat(f)
        .extracting(Field::label)
        .startsWith("dry run", "WAL written", "statements", "interval", "measured at");
    Field shapes = f.get(8);
    assertThat(shapes.fields())
        .extracting(Field::label)
        .containsExactly("shape", "size", "recall", "p95");
    assertThat(shapes.fields())
        .extracting(Field::unit)
        .containsExactly(Unit.text, Unit.bytes, Unit.ratio, Unit.latency);
    // a list of a sealed type: the columns of every record it permits, each once
    assertThat(f.get(9).fields())
        .extracting(Field::key)
        .containsExactly("index", "recall", "groundTruthMillis", "probes");
    assertThat(f.get(9).fields().get(2).unit()).isEqualTo(Unit.duration);
  }

  @Test
  void theLayoutNamesExactlyTheKeysTheApiWrites() {
    Sample s =
        new Sample(
            true,
            1L,
            2,
            3L,
            Instant.EPOCH,
            List.of(),
            Map.of(),
            new Shape("hnsw", 1, 0.9, 1.0),
            List.of(),
            List.of(),
            0.5,
            1.5,
            "index",
            0.25,
            0.1);
    JsonNode json = MAPPER.valueToTree(s);
    assertThat(keys(json))
        .containsExactlyElementsOf(
            SummaryLayout.of(Sample.class, MAPPER).fields().stream().map(Field::key).toList());
    assertThat(keys(json.get("current"))).containsExactly("shape", "sizeBytes", "recall", "p95Ms");
  }

  @Test
  void everyShippedKindDeclaresItsSummaryAndEachFieldIsLabelledOnceWithAUnit() {
    for (JobKind kind : JobKinds.AVAILABLE) {
      assertThat(kind.summaryType()).as(kind.name()).isPresent();
      SummaryLayout layout = SummaryLayout.of(kind.summaryType().orElseThrow(), MAPPER);
      assertThat(layout.fields()).as(kind.name()).isNotEmpty();
      check(kind.name(), layout.fields());
    }
  }

  @Test
  void aSummaryThatIsNotARecordIsRefused() {
    assertThatThrownBy(() -> SummaryLayout.of(JobSummary.class, MAPPER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JobSummary");
  }

  private static void check(String where, List<Field> fields) {
    Set<String> labels = new HashSet<>();
    for (Field f : fields) {
      assertThat(f.label()).as(where + "." + f.key()).isNotBlank();
      assertThat(labels.add(f.label())).as(where + ": label " + f.label() + " twice").isTrue();
      assertThat(f.unit()).as(where + "." + f.key()).isNotEqualTo(Unit.auto);
      if (f.unit() == Unit.group || f.unit() == Unit.table) {
        assertThat(f.fields()).as(where + "." + f.key()).isNotEmpty();
        check(where + "." + f.key(), f.fields());
      }
    }
  }

  private static List<String> keys(JsonNode node) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> i = node.fieldNames(); i.hasNext(); ) {
      out.add(i.next());
    }
    return out;
  }
}
