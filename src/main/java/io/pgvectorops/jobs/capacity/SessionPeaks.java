package io.pgvectorops.jobs.capacity;

import io.pgvectorops.jobs.StateAccess;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.time.LocalDate;
import java.util.List;

/** The capacity kind's daily peaks of client sessions per target, for the connections' trend. */
public final class SessionPeaks {
  /** The most client sessions seen on a target in a day. */
  public record SessionPeak(LocalDate day, long sessions, long allowed) {}

  private final Jdbc jdbc;
  private final int historyDays;

  public SessionPeaks(StateAccess state) {
    this.jdbc = state.jdbc();
    this.historyDays = state.config().historyDays;
  }

  /** Days of peaks kept and fitted: the state's historyDays. */
  int historyDays() {
    return historyDays;
  }

  public void put(String target, SessionPeak peak) {
    jdbc.update(
        SqlFile.load("store/connection_history_put"),
        target,
        peak.day(),
        peak.sessions(),
        peak.allowed());
  }

  List<SessionPeak> since(String target, LocalDate from) {
    return jdbc.query(
        SqlFile.load("store/connection_history_of_target"),
        rs ->
            new SessionPeak(
                rs.getObject("day", LocalDate.class),
                rs.getLong("sessions"),
                rs.getLong("allowed")),
        target,
        from);
  }
}
