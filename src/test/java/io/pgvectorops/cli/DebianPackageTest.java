package io.pgvectorops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.testing.OpsFiles;
import io.pgvectorops.testing.Slow;
import io.pgvectorops.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The .deb that `mvn package` built, on this machine: lintian finds no error; `dpkg -i` installs
 * the jar, the command, the conffiles, the unit (not enabled) and the service user; `check` runs as
 * that user with the shipped job files against a test database; `dpkg --purge` leaves nothing.
 * Needs root (dpkg); elsewhere the test is reported skipped, saying so.
 */
@Slow
class DebianPackageTest {
  static final String PACKAGE = "pgvector-ops";
  static final List<String> INSTALLED =
      List.of(
          "/usr/share/pgvector-ops/pgvector-ops.jar",
          "/usr/bin/pgvector-ops",
          "/etc/pgvector-ops/config.yml",
          "/etc/pgvector-ops/jvm.options",
          "/etc/pgvector-ops/jobs/health.yml",
          "/lib/systemd/system/pgvector-ops.service",
          "/usr/share/doc/pgvector-ops/copyright",
          "/var/lib/pgvector-ops");

  record Ran(int exit, String out) {}

  static Ran run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
    return new Ran(p.exitValue(), out);
  }

  static Ran ok(String... cmd) throws Exception {
    Ran r = run(cmd);
    assertThat(r.exit()).as(String.join(" ", cmd) + ":\n" + r.out()).isZero();
    return r;
  }

  @Test
  void installsChecksAsTheServiceUserAndPurgesWithoutATrace() throws Exception {
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "skipped: dpkg -i needs root (CI runs as root)");
    Path deb;
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      deb =
          files
              .filter(f -> f.getFileName().toString().matches("pgvector-ops_.*_all\\.deb"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("mvn package built no target/*.deb"));
    }
    String version = ok("dpkg-deb", "-f", deb.toString(), "Version").out().strip();

    Ran lintian = run("lintian", "--tag-display-limit", "0", deb.toString());
    assertThat(lintian.out().lines().filter(l -> l.startsWith("E: "))).as(lintian.out()).isEmpty();

    run("dpkg", "--purge", PACKAGE); // a run of this test stopped half-way
    ok("dpkg", "-i", deb.toString());
    try {
      for (String f : INSTALLED) {
        assertThat(Path.of(f)).as(f).exists();
      }
      // the embedding model is test scope (the real data set): never in what operators install
      try (ZipFile jar = new ZipFile("/usr/share/pgvector-ops/pgvector-ops.jar")) {
        assertThat(
                jar.stream()
                    .map(ZipEntry::getName)
                    .filter(n -> n.matches("(?i).*(onnx|langchain4j|ai/djl).*")))
            .isEmpty();
      }
      // the sandbox's own jobs are examples, not jobs for every server
      assertThat(Path.of("/etc/pgvector-ops/jobs/search-recall.yml")).doesNotExist();
      assertThat(Path.of("/usr/share/doc/pgvector-ops/examples/jobs/search-recall.yml")).exists();
      assertThat(Path.of("/etc/pgvector-ops/jobs/rebuild-plan.yml")).doesNotExist();
      assertThat(Path.of("/usr/share/doc/pgvector-ops/examples/jobs/rebuild-plan.yml")).exists();
      assertThat(Path.of("/etc/pgvector-ops/jobs/quantization-trial.yml")).doesNotExist();
      assertThat(Path.of("/usr/share/doc/pgvector-ops/examples/jobs/quantization-trial.yml"))
          .exists();
      assertThat(ok("dpkg-query", "--control-show", PACKAGE, "conffiles").out())
          .contains("/etc/pgvector-ops/config.yml")
          .contains("/etc/pgvector-ops/jvm.options")
          .contains("/etc/pgvector-ops/jobs/health.yml");
      assertThat(ok("getent", "passwd", PACKAGE).out()).contains("/var/lib/pgvector-ops");
      assertThat(ok("stat", "-c", "%U:%G %a", "/var/lib/pgvector-ops").out().strip())
          .isEqualTo("pgvector-ops:pgvector-ops 750");
      assertThat(ok("stat", "-c", "%G %a", "/etc/pgvector-ops/config.yml").out().strip())
          .isEqualTo("pgvector-ops 640");
      // installed, not enabled: the shipped configuration names an example target
      assertThat(Path.of("/etc/systemd/system/multi-user.target.wants/pgvector-ops.service"))
          .doesNotExist();
      assertThat(ok("pgvector-ops", "--version").out().strip()).isEqualTo(version);

      // check as the service user, with the shipped job files, against a test database
      TestPostgres.Database db = TestPostgres.newDatabase("deb");
      Path dir = Files.createTempDirectory("deb-check");
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      new OpsFiles(dir)
          .writeConfig(
              OpsFiles.target("main", db),
              OpsFiles.state(db, "deb_state") + "jobsDirectory: /etc/pgvector-ops/jobs\n");
      Files.setPosixFilePermissions(
          dir.resolve("config.yml"), PosixFilePermissions.fromString("rw-r--r--"));
      Ran check =
          run(
              "runuser",
              "-u",
              PACKAGE,
              "--",
              "pgvector-ops",
              "check",
              dir.resolve("config.yml").toString());
      assertThat(check.out())
          .as(check.out())
          .contains(dir.resolve("config.yml") + ": ok (1 target(s), 8 job(s))")
          .contains("target main: PostgreSQL ")
          .contains("connection: ")
          .contains("state database ");
      assertThat(check.exit()).as(check.out()).isZero();
    } finally {
      ok("dpkg", "--purge", PACKAGE);
    }
    List<String> left = new ArrayList<>();
    for (String f :
        List.of(
            "/usr/share/pgvector-ops",
            "/usr/bin/pgvector-ops",
            "/etc/pgvector-ops",
            "/lib/systemd/system/pgvector-ops.service",
            "/usr/share/doc/pgvector-ops",
            "/var/lib/pgvector-ops")) {
      if (Files.exists(Path.of(f))) {
        left.add(f);
      }
    }
    assertThat(left).as("left behind by dpkg --purge").isEmpty();
    assertThat(run("getent", "passwd", PACKAGE).exit()).isNotZero();
    assertThat(run("getent", "group", PACKAGE).exit()).isNotZero();
    assertThat(run("dpkg-query", "-W", PACKAGE).exit()).isNotZero();
  }
}
