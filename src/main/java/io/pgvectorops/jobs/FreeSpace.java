package io.pgvectorops.jobs;

import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.targets.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a rebuild fits on the disk before it starts. PostgreSQL has no SQL function for free disk
 * space, so it is read where it can be: when the daemon runs on the database's machine (a loopback
 * target), the role may read data_directory, and the index's first file is there with the size the
 * server reports (the same cluster, not one that happens to have the same paths). Otherwise the
 * answer is "unknown", and says why.
 */
public final class FreeSpace {
  /** The first segment of a relation is at most 1 GB. */
  private static final long SEGMENT = 1L << 30;

  /** The host part of a JDBC URL: up to the port, the path or the parameters. */
  private static final Pattern HOST =
      Pattern.compile("^jdbc:postgresql://(\\[[^]]*]|[^/:?]*)(?::\\d+)?([^/?]*)");

  /** Free bytes where the index's files are, or why they cannot be known. */
  public record Seen(Long freeBytes, String path, String unknownBecause) {
    public boolean known() {
      return freeBytes != null;
    }
  }

  private FreeSpace() {}

  public static Seen of(Target target, Connection c, long indexOid) {
    if (!loopback(target.config().url)) {
      return unknown("the target is not on this machine (" + host(target.config().url) + ")");
    }
    Jdbc jdbc = target.jdbc();
    record Storage(String dataDirectory, String filePath, long size) {}
    Storage s =
        jdbc.query(
                c,
                SqlFile.load("probes/index_storage"),
                rs ->
                    new Storage(
                        rs.getString("data_directory"),
                        rs.getString("file_path"),
                        rs.getLong("size_bytes")),
                indexOid,
                indexOid)
            .get(0);
    if (s.dataDirectory() == null || s.filePath() == null) {
      return unknown("the role may not read data_directory (superuser or pg_read_all_settings)");
    }
    Path file = Path.of(s.dataDirectory()).resolve(s.filePath());
    try {
      if (!Files.isRegularFile(file) || Files.size(file) != Math.min(s.size(), SEGMENT)) {
        return unknown(
            "the index's files are not readable on this machine as the server reports them ("
                + file
                + ")");
      }
      Path dir = file.getParent().toRealPath();
      return new Seen(Files.getFileStore(dir).getUsableSpace(), dir.toString(), null);
    } catch (IOException | SecurityException e) {
      return unknown("the daemon's user cannot read " + file.getParent() + " (" + e + ")");
    }
  }

  private static Seen unknown(String why) {
    return new Seen(null, null, why);
  }

  public static boolean loopback(String url) {
    Matcher m = HOST.matcher(url == null ? "" : url);
    if (!m.find() || !m.group(2).isEmpty() || m.group(1).contains(",")) {
      return false; // several hosts: the session may be on any of them
    }
    String h = m.group(1);
    return h.equals("localhost")
        || h.startsWith("127.")
        || h.equals("[::1]")
        || h.isEmpty(); // no host: a Unix socket on this machine
  }

  private static String host(String url) {
    Matcher m = HOST.matcher(url == null ? "" : url);
    return m.find() ? m.group(1) : "?";
  }
}
