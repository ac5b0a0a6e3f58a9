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

  /** When the window that contains {@code instant} closes. */
  public Instant endAfter(Instant instant) {
    var local = instant.atZone(zone);
    var end = local.with(this.end);
    if (!end.toInstant().isAfter(instant)) {
      end = end.plusDays(1);
    }
    return end.toInstant();
  }

  @Override
  public String toString() {
    return start + "-" + end + " " + zone.getId();
  }
}
