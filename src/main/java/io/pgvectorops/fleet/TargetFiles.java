package io.pgvectorops.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.pgvectorops.config.ConfigChecks;
import io.pgvectorops.config.ConfigError;
import io.pgvectorops.config.EnvSubstitutingSourceProvider;
import io.pgvectorops.config.TargetConfig;
import io.pgvectorops.config.YamlErrors;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Target files: each a YAML list of targets in the form of config.yml's {@code targets}, found by
 * globs relative to the configuration file's folder (as Prometheus' file-based discovery).
 */
final class TargetFiles {
  /** Unknown keys are errors, as in config.yml: a misspelt passwordFile must not pass unseen. */
  private static final ObjectMapper YAML =
      Jackson.newObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static final Validator VALIDATOR = Validators.newValidator();

  private TargetFiles() {}

  /** The files the globs name now, sorted; a glob naming nothing is not an error (yet). */
  static List<Path> find(List<String> globs, String configFile) {
    Path base = configFile == null ? Path.of("") : Path.of(configFile).toAbsolutePath().getParent();
    TreeSet<Path> found = new TreeSet<>();
    for (String glob : globs) {
      Path pattern = base.resolve(glob).normalize();
      Path dir = fixedPart(pattern);
      if (!Files.isDirectory(dir)) {
        if (Files.isRegularFile(pattern)) {
          found.add(pattern);
        }
        continue;
      }
      PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
      try (Stream<Path> files = Files.walk(dir, depth(dir, pattern))) {
        files.filter(Files::isRegularFile).filter(matcher::matches).forEach(found::add);
      } catch (IOException e) {
        // a folder that vanished while listed: its files count from the next read
      }
    }
    return List.copyOf(found);
  }

  /** The leading folders of a glob that hold no wildcard. */
  private static Path fixedPart(Path pattern) {
    Path dir = pattern.getRoot() == null ? Path.of("") : pattern.getRoot();
    for (Path part : pattern) {
      if (part.toString().matches(".*[*?\\[{].*")) {
        return dir;
      }
      dir = dir.resolve(part);
    }
    return dir.getParent() == null ? dir : dir.getParent();
  }

  private static int depth(Path dir, Path pattern) {
    return pattern.toString().contains("**")
        ? Integer.MAX_VALUE
        : pattern.getNameCount() - dir.getNameCount();
  }

  /**
   * One file's targets, checked like config.yml's.
   *
   * @throws ConfigError naming the file, the entry and the key
   */
  static List<TargetConfig> read(Path file) {
    List<TargetConfig> targets;
    try (InputStream in =
        new EnvSubstitutingSourceProvider(new FileConfigurationSourceProvider())
            .open(file.toString())) {
      targets = YAML.readValue(in, new TypeReference<List<TargetConfig>>() {});
    } catch (IOException e) {
      throw YamlErrors.error(file.toString(), List.of(describe(e)));
    }
    if (targets == null) {
      return List.of();
    }
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      TargetConfig t = targets.get(i);
      if (t == null) {
        errors.add("[" + i + "]: is empty");
        continue;
      }
      String key = "[" + i + "] (" + t.name + ")";
      for (ConstraintViolation<TargetConfig> v : VALIDATOR.validate(t)) {
        errors.add(key + "." + v.getPropertyPath() + ": " + v.getMessage());
      }
      ConfigChecks.target(t, key, errors);
      t.source = file.toString();
      t.key = key;
    }
    if (!errors.isEmpty()) {
      throw YamlErrors.ofChecks(file.toString(), errors);
    }
    return targets;
  }

  private static String describe(IOException e) {
    if (e instanceof JsonMappingException m && m.getPath().isEmpty()) {
      return "is not a YAML list of targets (each file holds entries '- name: …')";
    }
    if (e instanceof JsonProcessingException) {
      return YamlErrors.describe(e, "", null);
    }
    return "cannot be read (" + e.getMessage() + ")";
  }
}
