package io.pgvectorops.jobfiles;

import java.text.ParseException;
import java.util.List;
import org.quartz.CronExpression;

/**
 * A job file's {@code schedule}: a Quartz cron expression (seconds first, {@code ?} for one of the
 * day fields), with Jenkins-style {@code H} tokens that each job-target pair resolves to its own
 * values ({@link HashedCron}).
 */
final class Schedules {
  private Schedules() {}

  static String check(String cron, List<String> errors) {
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
}
