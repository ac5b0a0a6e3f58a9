package io.pgvectorops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.io.IOException;
import java.net.InetAddress;
import java.time.DateTimeException;
import java.time.ZoneId;

public class SchedulerConfig {
  @Min(1)
  @Max(64)
  @JsonProperty
  public int threads = 4;

  @JsonProperty public boolean clustered = true;

  /**
   * At most this many of this instance's runs at a time on one server (host and port), over all its
   * databases; the others wait their turn. 0: no limit.
   */
  @Min(0)
  @Max(64)
  @JsonProperty
  public int maxConcurrentRunsPerServer = 2;

  @NotBlank @JsonProperty public String instanceId = "AUTO";

  /** Quartz scheduler name: instances with the same name and state schema form one cluster. */
  @NotBlank @JsonProperty public String name = "pgvector-ops";

  /**
   * How often a clustered instance checks in; a dead instance's work moves after about this long.
   */
  @NotNull @JsonProperty public Duration checkinInterval = Duration.milliseconds(7500);

  /** Zone in which job schedules (cron expressions) are read. */
  @NotBlank @JsonProperty public String timeZone = "UTC";

  /** The instance id in force: AUTO becomes host name + start time, like Quartz's own generator. */
  public String resolvedInstanceId() {
    if (!"AUTO".equals(instanceId)) {
      return instanceId;
    }
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "localhost";
    }
    return host + "-" + System.currentTimeMillis();
  }

  @ValidationMethod(message = "timeZone is not a known time zone id (e.g. UTC, Europe/Berlin)")
  public boolean isTimeZoneValid() {
    try {
      ZoneId.of(timeZone);
      return true;
    } catch (DateTimeException | NullPointerException e) {
      return false;
    }
  }
}
