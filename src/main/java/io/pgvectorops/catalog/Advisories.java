package io.pgvectorops.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import io.pgvectorops.config.ConfigError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What is known about pgvector versions (defects and changes an operator must act on) and
 * PostgreSQL majors (end of support): the catalogue shipped in the jar (advisories.yml), with
 * operators' own files on top (an entry with a shipped id replaces it).
 */
public final class Advisories {
  /** What an advisory puts at risk: the daemon avoids some of it itself. */
  public enum Affects {
    @JsonProperty("parallel-hnsw-build")
    PARALLEL_HNSW_BUILD,
    @JsonProperty("hnsw-vacuum")
    HNSW_VACUUM,
    @JsonProperty("hnsw-build")
    HNSW_BUILD,
    @JsonProperty("ivfflat-build")
    IVFFLAT_BUILD,
    @JsonProperty("ivfflat-scan")
    IVFFLAT_SCAN,
    @JsonProperty("ivfflat-inserts")
    IVFFLAT_INSERTS,
    @JsonProperty("sparsevec")
    SPARSEVEC,
    @JsonProperty("column-storage")
    COLUMN_STORAGE
  }

  /**
   * What an advisory is about, and so which version decides it: the C library (builds, vacuum,
   * scans: the server's installed package) or the SQL objects (types, functions, storage: the
   * database's extversion). See {@link PgvectorVersions}.
   */
  public enum Scope {
    @JsonProperty("library")
    LIBRARY,
    @JsonProperty("sql")
    SQL
  }

  /** When a database is at risk, as health measures it (probes/advisory_exposure). */
  public enum Exposure {
    @JsonProperty("always")
    ALWAYS,
    @JsonProperty("hnsw-indexes")
    HNSW_INDEXES,
    @JsonProperty("hnsw-tables-with-deletes")
    HNSW_TABLES_WITH_DELETES,
    @JsonProperty("ivfflat-indexes")
    IVFFLAT_INDEXES,
    @JsonProperty("sparsevec-columns")
    SPARSEVEC_COLUMNS,
    @JsonProperty("vector-columns-extended-storage")
    VECTOR_COLUMNS_EXTENDED_STORAGE,
    @JsonProperty("ivfflat-indexes-on-32-bit")
    IVFFLAT_INDEXES_ON_32_BIT
  }

  /** One pgvector defect or change, for the versions it affects. */
  public record Advisory(
      String id,
      String introducedIn,
      String fixedIn,
      Affects affects,
      Exposure exposedWhen,
      String severity,
      String summary,
      String action,
      String source,
      Scope scope,
      String cve,
      boolean silentDamage) {

    /** The library unless the entry says otherwise: most defects are in the C code. */
    public Scope scope() {
      return scope == null ? Scope.LIBRARY : scope;
    }

    /** Whether this database runs an affected version of what the advisory is about. */
    public boolean affects(PgvectorVersions versions) {
      return affects(versions.of(scope()));
    }

    /** Whether {@code installed} (e.g. "0.8.0") is an affected version. */
    public boolean affects(String installed) {
      return installed != null
          && (introducedIn == null || compare(installed, introducedIn) >= 0)
          && (fixedIn == null || compare(installed, fixedIn) < 0);
    }
  }

  /** A PostgreSQL major and the end of its support. */
  public record Major(int major, LocalDate endOfLife) {}

  private record File(List<Advisory> pgvector, List<Major> postgresql) {}

  private static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+){0,2}");
  private static final Pattern CVE = Pattern.compile("CVE-\\d{4}-\\d{4,}");
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]*");
  private static final List<String> SEVERITIES = List.of("info", "warning", "critical");
  private static final ObjectMapper YAML =
      Jackson.newObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final List<Advisory> pgvector;
  private final Map<Integer, Major> majors;

  private Advisories(List<Advisory> pgvector, Map<Integer, Major> majors) {
    this.pgvector = List.copyOf(pgvector);
    this.majors = Map.copyOf(majors);
  }

  /** The shipped catalogue only. */
  public static Advisories shipped() {
    return load(List.of());
  }

  /**
   * The shipped catalogue with the operators' files on top.
   *
   * @throws ConfigError naming the file and the entry, for an operator's mistake
   */
  public static Advisories load(List<Path> operatorFiles) {
    Map<String, Advisory> byId = new LinkedHashMap<>();
    Map<Integer, Major> majors = new LinkedHashMap<>();
    try (InputStream in = Advisories.class.getClassLoader().getResourceAsStream("advisories.yml")) {
      add(read(in.readAllBytes(), "advisories.yml (shipped)"), "advisories.yml", byId, majors);
    } catch (IOException e) {
      throw new IllegalStateException("the shipped advisories.yml cannot be read", e);
    }
    for (Path p : operatorFiles) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(p);
      } catch (IOException e) {
        throw new ConfigError("advisory file " + p + " cannot be read: " + e.getMessage());
      }
      add(read(bytes, p.toString()), p.toString(), byId, majors);
    }
    return new Advisories(new ArrayList<>(byId.values()), majors);
  }

  private static File read(byte[] bytes, String name) {
    try {
      File f = YAML.readValue(bytes, File.class);
      return f == null ? new File(List.of(), List.of()) : f;
    } catch (IOException e) {
      String why =
          e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
      throw new ConfigError("advisory file " + name + ": " + why);
    }
  }

  private static void add(
      File f, String name, Map<String, Advisory> byId, Map<Integer, Major> majors) {
    for (Advisory a : f.pgvector() == null ? List.<Advisory>of() : f.pgvector()) {
      String problem = problem(a);
      if (problem != null) {
        throw new ConfigError(
            "advisory file "
                + name
                + ", pgvector entry "
                + (a.id() == null ? "(no id)" : a.id())
                + ": "
                + problem);
      }
      byId.put(a.id(), a);
    }
    for (Major m : f.postgresql() == null ? List.<Major>of() : f.postgresql()) {
      if (m.major() < 10 || m.endOfLife() == null) {
        throw new ConfigError(
            "advisory file "
                + name
                + ", postgresql entry "
                + m.major()
                + ": needs major (10 or later) and endOfLife (a date such as 2030-11-14)");
      }
      majors.put(m.major(), m);
    }
  }

  /** What is wrong with an entry, or null. */
  static String problem(Advisory a) {
    if (a.id() == null || !ID.matcher(a.id()).matches()) {
      return "id must be lower-case letters, digits and '-'";
    }
    for (String v : new String[] {a.introducedIn(), a.fixedIn()}) {
      if (v != null && !VERSION.matcher(v).matches()) {
        return "versions are written like 0.8.2, got '" + v + "'";
      }
    }
    if (a.affects() == null || a.exposedWhen() == null) {
      return "affects and exposedWhen are required";
    }
    if (!SEVERITIES.contains(a.severity())) {
      return "severity must be one of " + SEVERITIES + ", got '" + a.severity() + "'";
    }
    if (isBlank(a.summary()) || isBlank(a.action()) || isBlank(a.source())) {
      return "summary, action and source are required";
    }
    if (a.cve() != null && !CVE.matcher(a.cve()).matches()) {
      return "cve is written like CVE-2026-3172, got '" + a.cve() + "'";
    }
    return null;
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  public List<Advisory> pgvector() {
    return pgvector;
  }

  /** The advisories that affect this database, each decided by the version of its scope. */
  public List<Advisory> affecting(PgvectorVersions versions) {
    return pgvector.stream().filter(a -> a.affects(versions)).toList();
  }

  /** The advisories of this database's versions that put {@code what} at risk. */
  public List<Advisory> affecting(PgvectorVersions versions, Affects what) {
    return affecting(versions).stream().filter(a -> a.affects() == what).toList();
  }

  public Optional<Major> major(int major) {
    return Optional.ofNullable(majors.get(major));
  }

  /** Compares dotted versions numerically (0.10.0 after 0.9.1); missing parts count as 0. */
  public static int compare(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int c = Integer.compare(i < x.length ? parse(x[i]) : 0, i < y.length ? parse(y[i]) : 0);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static int parse(String part) {
    String digits = part.replaceAll("\\D.*$", "");
    return digits.isEmpty() ? 0 : Integer.parseInt(digits);
  }
}
