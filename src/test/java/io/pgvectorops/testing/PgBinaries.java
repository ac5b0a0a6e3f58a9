package io.pgvectorops.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One PostgreSQL's binaries and how to run them as the postgres user: this host's newest under
 * /usr/lib/postgresql (bin/setup-postgres), or Debian's build of another suite inside a Debian root
 * (bin/setup-debian-root), run with chroot. A cluster's folders are made where both sides see them
 * (under the root's /tmp), and paths are handed to the binaries as the root sees them.
 *
 * @param root the Debian root, or null for this host
 * @param bin the binaries' folder as the server sees it
 */
public record PgBinaries(Path root, Path bin, int uid, int gid, String name) {
  /** The test line picked by PGVECTOR_OPS_TEST_SERVER: "host" (default), "sid" or "trixie". */
  public static PgBinaries selected() throws IOException {
    String line = System.getenv("PGVECTOR_OPS_TEST_SERVER");
    return line == null || line.isBlank() || line.equals("host") ? host() : debianRoot(line);
  }

  /** This host's newest PostgreSQL. */
  public static PgBinaries host() throws IOException {
    try (var dirs = Files.list(Path.of("/usr/lib/postgresql"))) {
      Path bin =
          dirs.filter(d -> Files.isExecutable(d.resolve("bin/initdb")))
              .max((a, b) -> Integer.compare(major(a), major(b)))
              .map(d -> d.resolve("bin"))
              .orElseThrow(
                  () -> new IOException("no PostgreSQL binaries under /usr/lib/postgresql"));
      return new PgBinaries(null, bin, -1, -1, "host " + bin);
    }
  }

  /** The PostgreSQL of a Debian root made by bin/setup-debian-root SUITE. */
  public static PgBinaries debianRoot(String suite) throws IOException {
    String roots = System.getenv("PGVECTOR_OPS_ROOTS");
    Path root = Path.of(roots != null ? roots : "/opt/pgvector-ops/roots", suite);
    Path lib = root.resolve("usr/lib/postgresql");
    if (!Files.isDirectory(lib)) {
      throw new IOException(
          "no Debian " + suite + " root at " + root + ": run bin/setup-debian-root " + suite);
    }
    int uid = -1;
    int gid = -1;
    for (String line : Files.readAllLines(root.resolve("etc/passwd"))) {
      String[] f = line.split(":");
      if (f[0].equals("postgres")) {
        uid = Integer.parseInt(f[2]);
        gid = Integer.parseInt(f[3]);
      }
    }
    if (uid < 0) {
      throw new IOException("no postgres user in " + root + ": run bin/setup-debian-root " + suite);
    }
    try (var dirs = Files.list(lib)) {
      Path major =
          dirs.filter(d -> Files.isExecutable(d.resolve("bin/initdb")))
              .max((a, b) -> Integer.compare(major(a), major(b)))
              .orElseThrow(() -> new IOException("no PostgreSQL binaries in " + lib));
      return new PgBinaries(
          root,
          Path.of("/").resolve(root.relativize(major)).resolve("bin"),
          uid,
          gid,
          "Debian " + suite + " root " + root);
    }
  }

  private static int major(Path p) {
    try {
      return Integer.parseInt(p.getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** A new folder for a cluster, owned by the server's user when the tests run as root. */
  public Path newClusterDir(String prefix) throws IOException {
    Path dir =
        root == null
            ? Files.createTempDirectory(prefix)
            : Files.createTempDirectory(root.resolve("tmp"), prefix);
    own(dir);
    return dir;
  }

  /** Gives a file or folder to the server's user, when the tests run as root. */
  public void own(Path file) throws IOException {
    if (isRoot()) {
      exec(
          List.of("chown", root == null ? "postgres:postgres" : uid + ":" + gid, file.toString()),
          false);
    }
  }

  /** A host path as the server sees it. */
  public String path(Path host) {
    return root == null ? host.toString() : "/" + root.relativize(host);
  }

  /** Runs one of the binaries as the postgres user; the arguments' paths as {@link #path}. */
  public void run(boolean ignoreFailure, String tool, String... args) throws IOException {
    List<String> full = new ArrayList<>();
    if (root != null) {
      full.addAll(List.of("chroot", "--userspec=" + uid + ":" + gid, root.toString()));
    } else if (isRoot()) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.add(bin.resolve(tool).toString());
    full.addAll(List.of(args));
    exec(full, ignoreFailure);
  }

  /** A new cluster in {@code data}: trust authentication, UTF-8, no fsync. */
  public void initdb(Path data) throws IOException {
    run(
        false,
        "initdb",
        "-D",
        path(data),
        "-U",
        "postgres",
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
        "--no-sync");
  }

  /**
   * pg_ctl on {@code data}, logging to {@code log} (without a log file a started postmaster writes
   * to our pipe and the read never ends), waiting up to 60 s, with these server options.
   */
  public void pgCtl(Path data, Path log, String options, String... action) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of("-D", path(data), "-l", path(log), "-w", "-t", "60", "-o", options));
    args.addAll(List.of(action));
    run(false, "pg_ctl", args.toArray(String[]::new));
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void exec(List<String> command, boolean ignoreFailure) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (p.exitValue() != 0 && !ignoreFailure) {
      throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + out);
    }
  }
}
