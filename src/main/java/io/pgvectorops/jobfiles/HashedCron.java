package io.pgvectorops.jobfiles;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Quartz cron with Jenkins' hash token: {@code H} in a field stands for one value of the field's
 * range chosen by the job-target pair's name, so a fleet's pairs on {@code 0 H/5 * * * ?} fire at
 * stable, spread minutes instead of all at once. Forms: {@code H}, {@code H/n}, {@code H(a-b)} and
 * {@code H(a-b)/n}; other items are Quartz's own.
 */
public final class HashedCron {
  /** Quartz's fields in order; day of month stops at 28 so every month has the day. */
  private static final String[] FIELDS = {
    "seconds", "minutes", "hours", "day of month", "month", "day of week", "year"
  };

  private static final int[][] RANGES = {
    {0, 59}, {0, 59}, {0, 23}, {1, 28}, {1, 12}, {1, 7}, {1970, 2099}
  };
  private static final Pattern TOKEN = Pattern.compile("H(?:\\((\\d+)-(\\d+)\\))?(?:/(\\d+))?");

  private HashedCron() {}

  public static boolean isHashed(String cron) {
    for (String field : cron.trim().split("\\s+")) {
      for (String item : field.split(",")) {
        if (TOKEN.matcher(item).matches()) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The plain Quartz expression for one pair.
   *
   * @param seed the pair's name ({@code job@target}): the same seed gives the same expression
   * @throws IllegalArgumentException naming the field, for a range outside it or a step of 0
   */
  public static String expand(String cron, String seed) {
    String[] fields = cron.trim().split("\\s+");
    StringBuilder out = new StringBuilder();
    for (int f = 0; f < fields.length; f++) {
      StringBuilder field = new StringBuilder();
      for (String item : fields[f].split(",", -1)) {
        Matcher m = TOKEN.matcher(item);
        field.append(field.length() == 0 ? "" : ",");
        field.append(m.matches() ? hashed(m, Math.min(f, RANGES.length - 1), seed) : item);
      }
      out.append(f == 0 ? "" : " ").append(field);
    }
    return out.toString();
  }

  private static String hashed(Matcher m, int f, String seed) {
    int lo = m.group(1) == null ? RANGES[f][0] : Integer.parseInt(m.group(1));
    int hi = m.group(2) == null ? RANGES[f][1] : Integer.parseInt(m.group(2));
    if (lo < RANGES[f][0] || hi > RANGES[f][1] || lo > hi) {
      throw new IllegalArgumentException(
          FIELDS[f]
              + ": H("
              + lo
              + "-"
              + hi
              + ") must lie within "
              + RANGES[f][0]
              + "-"
              + RANGES[f][1]);
    }
    int hash = hash(seed + "#" + f);
    if (m.group(3) == null) {
      return String.valueOf(lo + hash % (hi - lo + 1));
    }
    int step = Integer.parseInt(m.group(3));
    if (step < 1 || step > hi - lo + 1) {
      throw new IllegalArgumentException(
          FIELDS[f] + ": the step of H/" + step + " must be 1 to " + (hi - lo + 1));
    }
    return (lo + hash % step) + "-" + hi + "/" + step;
  }

  /** A non-negative number from the seed that does not change between runs or JVMs. */
  private static int hash(String seed) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
      return ((d[0] & 0x7f) << 24) | ((d[1] & 0xff) << 16) | ((d[2] & 0xff) << 8) | (d[3] & 0xff);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
