package io.pgvectorops.testing;

import static org.awaitility.Awaitility.await;

import io.pgvectorops.PgvectorOpsApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * pgvector-ops in a child JVM, exactly as an operator starts it (same main class, real exit codes,
 * real SIGKILL). Output goes to a file under the test's directory.
 */
public final class Daemon implements AutoCloseable {
  private final Process process;
  private final Path log;

  private Daemon(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  public record Result(int exitCode, String stdout, String stderr) {}

  /** Runs a command to completion (check, run ...). */
  public static Result run(Path workDir, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(workDir, "stdout", ".txt");
    Path err = Files.createTempFile(workDir, "stderr", ".txt");
    ProcessBuilder pb =
        builder(workDir, env, args).redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "pgvector-ops " + String.join(" ", args) + " did not finish in 120 s");
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** Starts `server config` in the background. */
  public static Daemon start(Path workDir, String name, Path config) throws IOException {
    return start(workDir, name, config, Map.of());
  }

  /** Starts `server config` in the background with these environment variables. */
  public static Daemon start(Path workDir, String name, Path config, Map<String, String> env)
      throws IOException {
    return start(builder(workDir, env, "server", config.toString()), workDir, name);
  }

  /** Starts `server config` under {@code nohup}, as an operator's shell may: SIGHUP ignored. */
  public static Daemon startUnderNohup(Path workDir, String name, Path config) throws IOException {
    ProcessBuilder pb = builder(workDir, Map.of(), "server", config.toString());
    pb.command().add(0, "nohup");
    return start(pb, workDir, name);
  }

  private static Daemon start(ProcessBuilder pb, Path workDir, String name) throws IOException {
    Path log = workDir.resolve(name + ".log");
    Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new Daemon(p, log);
  }

  private static ProcessBuilder builder(Path workDir, Map<String, String> env, String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                PgvectorOpsApplication.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    pb.environment().putAll(env);
    return pb;
  }

  /**
   * Waits until the daemon's API answers on this port (or fails with its log when it exits or
   * hangs).
   */
  public void awaitApi(int port) throws IOException, InterruptedException {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpRequest status =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/api/status"))
            .build();
    try {
      await()
          .atMost(java.time.Duration.ofSeconds(60))
          .pollInterval(java.time.Duration.ofMillis(200))
          .ignoreExceptionsInstanceOf(IOException.class) // not listening yet
          .until(
              () ->
                  !process.isAlive()
                      || http.send(status, java.net.http.HttpResponse.BodyHandlers.discarding())
                              .statusCode()
                          == 200);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new IllegalStateException("daemon did not start: " + log());
    }
    if (!process.isAlive()) {
      throw new IllegalStateException("daemon did not start: " + log());
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  /** kill -9: no shutdown hooks, no cleanup, sockets closed by the kernel. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, as systemd stops the service. */
  public int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("daemon did not stop within 60 s of SIGTERM");
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
