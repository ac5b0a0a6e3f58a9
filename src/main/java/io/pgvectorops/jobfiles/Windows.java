package io.pgvectorops.jobfiles;

import io.pgvectorops.jobs.MaintenanceWindow;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

/**
 * A job file's {@code window} (start and end as HH:MM in a time zone, across midnight allowed) and
 * its durations ({@code for}).
 */
final class Windows {
  private Windows() {}

  static MaintenanceWindow of(JobFiles.RawWindow w, List<String> errors) {
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

  static Duration duration(String key, String value, List<String> errors) {
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
}
