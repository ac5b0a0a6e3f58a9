package io.pgvectorops.jobfiles;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.pgvectorops.config.ConfigError;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.config.YamlErrors;
import io.pgvectorops.jobs.JobCatalog;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.MaintenanceWindow;
import io.pgvectorops.jobs.TargetName;
import io.pgvectorops.jobs.TargetSelection;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Loads and validates every {@code *.yml} in the jobs directory. All problems of all files are
 * collected and reported together, each naming the file and the key. The keys are checked by their
 * own classes: {@link Schedules}, {@link TargetSelectors}, {@link Windows}, and each kind's
 * parameters by the kind's type.
 */
public final class JobFiles {
  private static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9_.-]{0,62}";

  /** The YAML shape of a job file; unknown keys are errors. */
  static final class RawJob {
    @JsonProperty public String name;
    @JsonProperty public String kind;
    @JsonProperty public String schedule;
    @JsonProperty public List<String> targets;
    @JsonProperty public RawWindow window;
    @JsonProperty public Boolean dryRun;
    @JsonProperty public JsonNode params;

    @JsonProperty("for")
    public String alertFor;
  }

  static final class RawWindow {
    @JsonProperty public String start;
    @JsonProperty public String end;
    @JsonProperty public String zone;
  }

  private final ObjectMapper yaml =
      Jackson.newObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
  private final Validator validator = Validators.newValidator();
  private final OpsConfiguration config;
  private final List<JobKind> kinds;

  /**
   * @param kinds the kinds job files may name (kinds/JobKinds.AVAILABLE)
   */
  public JobFiles(OpsConfiguration config, List<JobKind> kinds) {
    this.config = config;
    this.kinds = List.copyOf(kinds);
  }

  /**
   * @param directory the jobs directory (already resolved against the config file's folder)
   */
  public JobCatalog load(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new ConfigError("jobsDirectory: " + directory + " is not a directory");
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(directory)) {
      files = s.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
    } catch (IOException e) {
      throw new ConfigError(
          "jobsDirectory: cannot list " + directory + " (" + e.getMessage() + ")");
    }
    List<String> errors = new ArrayList<>();
    List<JobDefinition> jobs = new ArrayList<>();
    Map<String, Path> seen = new HashMap<>();
    for (Path file : files) {
      List<String> fileErrors = new ArrayList<>();
      JobDefinition job = parse(file, fileErrors);
      if (job != null && seen.containsKey(job.name())) {
        fileErrors.add(
            "key 'name': job name '" + job.name() + "' is already used by " + seen.get(job.name()));
      }
      if (fileErrors.isEmpty() && job != null) {
        seen.put(job.name(), file);
        jobs.add(job);
      }
      fileErrors.forEach(e -> errors.add(file + ": " + e));
    }
    if (!errors.isEmpty()) {
      throw new ConfigError(String.join("\n", errors));
    }
    return new JobCatalog(jobs);
  }

  JobDefinition parse(Path file, List<String> errors) {
    RawJob raw;
    try {
      raw = yaml.readValue(file.toFile(), RawJob.class);
    } catch (IOException e) {
      errors.add(YamlErrors.describe(e, "", null));
      return null;
    }
    if (raw == null) {
      errors.add("the file is empty");
      return null;
    }
    if (raw.name == null || !raw.name.matches(NAME_PATTERN)) {
      errors.add(
          "key 'name': "
              + (raw.name == null
                  ? "is missing"
                  : "'" + raw.name + "' must be 1-63 letters, digits, '_', '.' or '-'"));
    }
    JobKind kind = kind(raw.kind, errors);
    String schedule = Schedules.check(raw.schedule, errors);
    TargetSelection selection = new TargetSelectors(config).of(raw.targets, errors);
    MaintenanceWindow window = raw.window == null ? null : Windows.of(raw.window, errors);
    Object params = kind == null ? null : params(kind, raw.params, errors);
    Duration alertFor = raw.alertFor == null ? null : Windows.duration("for", raw.alertFor, errors);
    if (!errors.isEmpty()) {
      return null;
    }
    return new JobDefinition(
        raw.name,
        kind,
        schedule,
        selection.resolve(config.fleet()),
        selection,
        window,
        Boolean.TRUE.equals(raw.dryRun),
        params,
        file.toString(),
        alertFor);
  }

  private JobKind kind(String name, List<String> errors) {
    if (name == null) {
      errors.add("key 'kind': is missing (available: " + availableNames() + ")");
      return null;
    }
    return JobKind.find(kinds, name)
        .orElseGet(
            () -> {
              errors.add(
                  "key 'kind': unknown kind '" + name + "' (available: " + availableNames() + ")");
              return null;
            });
  }

  private String availableNames() {
    return JobKind.names(kinds);
  }

  private Object params(JobKind kind, JsonNode node, List<String> errors) {
    Object params;
    try {
      params =
          yaml.treeToValue(
              node == null || node.isNull() ? yaml.createObjectNode() : node, kind.paramsType());
    } catch (JsonProcessingException | IllegalArgumentException e) {
      errors.add(YamlErrors.describe(e, "params.", node));
      return null;
    }
    for (ConstraintViolation<Object> v : validator.validate(params)) {
      errors.add("key 'params." + v.getPropertyPath() + "': " + v.getMessage());
    }
    targetNames(params, errors);
    return params;
  }

  /** Parameters marked {@link TargetName} name a configured target. */
  private void targetNames(Object params, List<String> errors) {
    for (Field f : params.getClass().getFields()) {
      if (f.isAnnotationPresent(TargetName.class)) {
        try {
          if (f.get(params) instanceof String name && !name.isBlank()) {
            new TargetSelectors(config).named("params." + f.getName(), name, "", errors);
          }
        } catch (IllegalAccessException e) {
          throw new IllegalStateException("params field " + f + " is not public", e);
        }
      }
    }
  }

  /** Jobs directory: relative paths are read from the config file's folder. */
  public static Path directory(OpsConfiguration config, String configPath) {
    Path dir = Path.of(config.jobsDirectory);
    if (dir.isAbsolute() || configPath == null) {
      return dir;
    }
    Path parent = Path.of(configPath).toAbsolutePath().getParent();
    return parent == null ? dir : parent.resolve(dir);
  }
}
