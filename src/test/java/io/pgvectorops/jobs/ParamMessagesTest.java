package io.pgvectorops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.pgvectorops.config.ConfigError;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.config.TargetConfig;
import io.pgvectorops.jobfiles.JobFiles;
import io.pgvectorops.kinds.JobKinds;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every parameter of every registered kind, given a value of the wrong type, is named with the form
 * it expects and an example, and what the file holds: never a Java class name.
 */
class ParamMessagesTest {
  @TempDir Path dir;

  private String error(String kind, String paramsYaml) throws Exception {
    OpsConfiguration config = new OpsConfiguration();
    TargetConfig t = new TargetConfig();
    t.name = "main";
    t.url = "jdbc:postgresql://localhost/x";
    t.user = "u";
    config.targets.add(t);
    Files.writeString(
        dir.resolve("j.yml"),
        "name: j\nkind: " + kind + "\nschedule: '0 * * * * ?'\nparams:\n  " + paramsYaml + "\n");
    try {
      new JobFiles(config, JobKinds.AVAILABLE).load(dir);
    } catch (ConfigError e) {
      return e.getMessage();
    }
    throw new AssertionError(kind + " accepted params " + paramsYaml);
  }

  /** (kind, key, a wrong YAML value for it, what the message must say). */
  static Stream<Arguments> everyParameter() {
    List<Arguments> out = new ArrayList<>();
    for (JobKind kind : JobKinds.AVAILABLE) {
      for (Field f : kind.paramsType().getFields()) {
        if (Modifier.isStatic(f.getModifiers())) {
          continue;
        }
        JsonProperty p = f.getAnnotation(JsonProperty.class);
        String key = p == null || p.value().isEmpty() ? f.getName() : p.value();
        Class<?> type = f.getType();
        boolean scalarWanted =
            type.isPrimitive()
                || Number.class.isAssignableFrom(type)
                || type == Boolean.class
                || type == String.class
                || type.isEnum()
                || type.getName().startsWith("io.dropwizard.util.");
        boolean listWanted = Collection.class.isAssignableFrom(type);
        String wrong = type == String.class || listWanted ? "{a: 1}" : "ten";
        String got = wrong.equals("ten") ? "got 'ten'" : "got a mapping";
        if (scalarWanted || listWanted || wrong.equals("ten")) {
          out.add(
              Arguments.of(
                  kind.name(),
                  key,
                  wrong,
                  "key 'params."
                      + key
                      + "': expected "
                      + io.pgvectorops.config.YamlErrors.expected(type)
                      + ", "
                      + got));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} params.{1}: {2}")
  @MethodSource("everyParameter")
  void aWrongTypeNamesTheKeyAndTheExpectedForm(String kind, String key, String wrong, String says)
      throws Exception {
    String message = error(kind, key + ": " + wrong);
    assertThat(message).contains(says);
    assertThat(message)
        .doesNotContainPattern("[a-z]+\\.[a-z]+\\.[A-Z]")
        .doesNotContain("`")
        .doesNotContain("Cannot ");
  }

  @Test
  void everyKindHasParametersChecked() {
    assertThat(everyParameter().map(a -> a.get()[0]).distinct())
        .containsAll(
            JobKinds.AVAILABLE.stream()
                .filter(k -> k.paramsType().getFields().length > 0)
                .map(JobKind::name)
                .toList());
  }

  @Test
  void sizesSayTheirForm() throws Exception {
    assertThat(error("bloat", "minSize: 0"))
        .contains("key 'params.minSize': expected a size such as 10MB, got 0");
    assertThat(error("bloat", "minSize: ten"))
        .contains("key 'params.minSize': expected a size such as 10MB, got 'ten'");
  }
}
