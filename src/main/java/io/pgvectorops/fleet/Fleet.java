package io.pgvectorops.fleet;

import io.pgvectorops.common.Text;
import io.pgvectorops.config.ConfigError;
import io.pgvectorops.config.JdbcUrls;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.config.TargetConfig;
import io.pgvectorops.sql.DbException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The targets in force: those written in config.yml, those of the target files, and one per
 * database of each {@code databases: all} entry. A source that cannot be read (a broken file, a
 * server that does not answer) keeps what it gave last time and is reported; the others apply.
 */
public final class Fleet {
  private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);

  /**
   * @param targets in order: config.yml's (each entry's databases by name), then the files'
   * @param problems one line per source that could not be read, naming it
   * @param bySource what each source gave (a config entry's key or a file's path)
   */
  public record Resolved(
      List<TargetConfig> targets, List<String> problems, Map<String, List<TargetConfig>> bySource) {
    public static final Resolved NONE = new Resolved(List.of(), List.of(), Map.of());

    public List<String> names() {
      return targets.stream().map(t -> t.name).toList();
    }
  }

  private Fleet() {}

  /**
   * Resolves {@code config}'s fleet and sets it on the configuration.
   *
   * @param previous the last resolution, whose sources stand in for those unreadable now
   */
  /**
   * One target file's targets (its entries' discovered databases each a source of their own), or,
   * when it cannot be read, its targets as they were before.
   */
  private static void targetFile(
      Path file,
      OpsConfiguration config,
      String configFile,
      Resolved previous,
      Map<String, List<TargetConfig>> bySource,
      List<String> problems) {
    String source = file.toString();
    try {
      List<TargetConfig> listed = new ArrayList<>();
      for (TargetConfig t : TargetFiles.read(file)) {
        if (t.isDiscovery()) {
          // an entry's databases are a source of their own: kept apart if its server is down
          String entrySource = source + " " + t.key;
          bySource.put(
              entrySource,
              expand(t, config, configFile, previous.bySource().get(entrySource), problems));
        } else {
          listed.add(t);
        }
      }
      bySource.put(source, listed);
    } catch (ConfigError e) {
      // the file and its entries' databases as they were before
      List<TargetConfig> kept = new ArrayList<>();
      previous
          .bySource()
          .forEach(
              (key, targets) -> {
                if (key.equals(source) || key.startsWith(source + " ")) {
                  bySource.put(key, targets);
                  kept.addAll(targets);
                }
              });
      problems.add(e.getMessage() + keptNote(kept));
    }
  }

  public static Resolved resolve(OpsConfiguration config, Resolved previous) {
    String configFile = config.sourceFile == null ? "configuration" : config.sourceFile;
    Map<String, List<TargetConfig>> bySource = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < config.targets.size(); i++) {
      TargetConfig t = config.targets.get(i);
      t.key = "targets[" + i + "] (" + t.name + ")";
      String source = "targets[" + i + "]";
      if (t.isDiscovery()) {
        bySource.put(
            source, expand(t, config, configFile, previous.bySource().get(source), problems));
      } else {
        bySource.put(source, List.of(t));
      }
    }
    for (Path file : TargetFiles.find(config.targetFiles, config.sourceFile)) {
      targetFile(file, config, configFile, previous, bySource, problems);
    }
    List<TargetConfig> targets = unique(bySource, configFile, problems);
    // once when it appears, not every re-list
    problems.stream()
        .filter(p -> !previous.problems().contains(p))
        .forEach(p -> LOG.error("targets: {}", p));
    previous.problems().stream()
        .filter(p -> !problems.contains(p))
        .forEach(p -> LOG.info("targets: mended: {}", p));
    config.setFleet(targets);
    return new Resolved(List.copyOf(targets), List.copyOf(problems), bySource);
  }

  private static String keptNote(List<TargetConfig> kept) {
    return kept == null || kept.isEmpty()
        ? ""
        : " (its " + kept.size() + " target(s) read before stay until it is mended)";
  }

  /** The first target of a name wins; a later one is reported and left out. */
  private static List<TargetConfig> unique(
      Map<String, List<TargetConfig>> bySource, String configFile, List<String> problems) {
    Map<String, TargetConfig> byName = new LinkedHashMap<>();
    bySource.values().stream()
        .flatMap(List::stream)
        .forEach(
            t -> {
              TargetConfig first = byName.putIfAbsent(t.name, t);
              if (first != null) {
                problems.add(
                    t.where(configFile)
                        + ": the name '"
                        + t.name
                        + "' is already used by "
                        + first.where(configFile)
                        + "; left out");
              }
            });
    return List.copyOf(byName.values());
  }

  /**
   * One target per database of the entry's server, but templates, the state database and those the
   * entry's include and exclude leave out.
   */
  private static List<TargetConfig> expand(
      TargetConfig entry,
      OpsConfiguration config,
      String configFile,
      List<TargetConfig> before,
      List<String> problems) {
    List<String> databases;
    try {
      databases = DatabaseListing.databases(entry, configFile);
    } catch (DbException | ConfigError e) {
      problems.add(
          entry.where(configFile)
              + ": cannot list the server's databases: "
              + Text.firstLine(e.getMessage())
              + keptNote(before));
      return before == null ? List.of() : before;
    }
    Pattern include = entry.include == null ? null : Pattern.compile(entry.include);
    Pattern exclude = entry.exclude == null ? null : Pattern.compile(entry.exclude);
    String stateUrl = config.state.url != null ? config.state.url : config.targets.get(0).url;
    List<TargetConfig> out = new ArrayList<>();
    for (String db : databases) {
      String url = JdbcUrls.withDatabase(entry.url, db);
      boolean isState =
          JdbcUrls.server(url).equals(JdbcUrls.server(stateUrl))
              && Objects.equals(db, JdbcUrls.database(stateUrl));
      if (isState
          || (include != null && !include.matcher(db).matches())
          || (exclude != null && exclude.matcher(db).matches())) {
        continue;
      }
      out.add(entry.forDatabase(db, url));
    }
    LOG.debug("{}: {} database(s) listed, {} watched", entry.name, databases.size(), out.size());
    return out;
  }
}
