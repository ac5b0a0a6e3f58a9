package io.pgvectorops.jobs;

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
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.quartz.CronExpression;

/**
 * Loads and validates every {@code *.yml} in the jobs directory. All problems of all files are
 * collected and reported together, each naming the file and the key.
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
    String schedule = schedule(raw.schedule, errors);
    TargetSelection selection = selection(raw.targets, errors);
    MaintenanceWindow window = raw.window == null ? null : window(raw.window, errors);
    Object params = kind == null ? null : params(kind, raw.params, errors);
    Duration alertFor = raw.alertFor == null ? null : duration("for", raw.alertFor, errors);
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

  static String schedule(String cron, List<String> errors) {
    if (cron == null || cron.isBlank()) {
      errors.add("key 'schedule': is missing (a Quartz cron expression, e.g. '0 */5 * * * ?')");
      return null;
    }
    String[] fields = cron.trim().split("\\s+");
    if (fields.length == 5) {
      errors.add(
          "key 'schedule': '"
              + cron
              + "' has 5 fields; Quartz cron starts with seconds and uses '?' for"
              + " day-of-month or day-of-week, e.g. '0 "
              + fields[0]
              + " "
              + fields[1]
              + " "
              + fields[2]
              + " "
              + fields[3]
              + " ?'");
      return null;
    }
    try {
      new CronExpression(HashedCron.expand(cron, "a job@a target"));
      return cron.trim();
    } catch (IllegalArgumentException e) {
      errors.add("key 'schedule': '" + cron + "': " + e.getMessage());
      return null;
    } catch (ParseException e) {
      errors.add(
          "key 'schedule': '"
              + cron
              + "' is not a valid Quartz cron expression: "
              + e.getMessage());
      return null;
    }
  }

  /**
   * Names must name a target in force or fall under a {@code databases: all} entry (a database that
   * may come and go); selectors may select none yet.
   */
  private TargetSelection selection(List<String> entries, List<String> errors) {
    if (entries == null) {
      return TargetSelection.EVERY;
    }
    if (entries.isEmpty()) {
      errors.add("key 'targets': is empty (omit it to run on every target)");
    }
    for (String e : entries) {
      if (e == null || e.isBlank()) {
        errors.add("key 'targets': has an empty entry");
      } else if (TargetSelection.isSelector(e)) {
        selector(e, errors);
      } else if (config.target(e).isEmpty() && !underDiscoveryEntry(e)) {
        errors.add(
            "key 'targets': unknown target '"
                + e
                + "' (configured: "
                + configuredNames()
                + "); a label selector is written key=value");
      }
    }
    return new TargetSelection(List.copyOf(entries));
  }

  /** The targets' names for a message; a fleet's first 20 and how many more. */
  private String configuredNames() {
    List<String> names = config.fleet().stream().map(t -> t.name).toList();
    return names.size() <= 20
        ? String.join(", ", names)
        : String.join(", ", names.subList(0, 20)) + " and " + (names.size() - 20) + " more";
  }

  private static void selector(String e, List<String> errors) {
    for (String pair : e.split(",")) {
      if (!pair.strip().matches("[a-zA-Z_][a-zA-Z0-9_]*=\\S.*")) {
        errors.add(
            "key 'targets': '"
                + e
                + "' is not a label selector (key=value, or key=value,key=value for both)");
        return;
      }
    }
  }

  private boolean underDiscoveryEntry(String name) {
    return config.targets.stream().anyMatch(t -> t.isDiscovery() && name.startsWith(t.name + "/"));
  }

  private static MaintenanceWindow window(RawWindow w, List<String> errors) {
    LocalTime start = time("window.start", w.start, errors);
    LocalTime end = time("window.end", w.end, errors);
    ZoneId zone = ZoneId.of("UTC");
    if (w.zone != null) {
      try {
        zone = ZoneId.of(w.zone);
      } catch (DateTimeException e) {
        errors.add(
            "key 'window.zone': '"
                + w.zone
                + "' is not a known time zone id (e.g. UTC, Europe/Berlin)");
      }
    }
    if (start != null && start.equals(end)) {
      errors.add("key 'window': start and end are equal; omit the window to allow any time");
    }
    return start == null || end == null ? null : new MaintenanceWindow(start, end, zone);
  }

  private static Duration duration(String key, String value, List<String> errors) {
    try {
      return Duration.ofMillis(io.dropwizard.util.Duration.parse(value).toMilliseconds());
    } catch (IllegalArgumentException e) {
      errors.add("key '" + key + "': '" + value + "' is not a duration (e.g. 0s, 15m, 2h)");
      return null;
    }
  }

  private static LocalTime time(String key, String value, List<String> errors) {
    if (value == null) {
      errors.add("key '" + key + "': is missing (HH:MM)");
      return null;
    }
    try {
      return LocalTime.parse(value.length() == 4 ? "0" + value : value);
    } catch (DateTimeException e) {
      errors.add("key '" + key + "': '" + value + "' is not a time of day (HH:MM)");
      return null;
    }
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
    return params;
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
