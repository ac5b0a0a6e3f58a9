package io.pgvectorops.jobs;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

/** A daily time range in a zone, e.g. 02:00-05:00 Europe/Berlin; may cross midnight. */
public record MaintenanceWindow(LocalTime start, LocalTime end, ZoneId zone) {
  public boolean contains(Instant instant) {
    LocalTime t = instant.atZone(zone).toLocalTime();
    if (start.isBefore(end)) {
      return !t.isBefore(start) && t.isBefore(end);
    }
    return !t.isBefore(start) || t.isBefore(end);
  }

  @Override
  public String toString() {
    return start + "-" + end + " " + zone.getId();
  }
}
