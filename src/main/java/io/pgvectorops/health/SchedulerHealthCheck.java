package io.pgvectorops.health;

import com.codahale.metrics.health.HealthCheck;
import io.pgvectorops.scheduler.QuartzScheduler;

public class SchedulerHealthCheck extends HealthCheck {
  private final QuartzScheduler scheduler;

  public SchedulerHealthCheck(QuartzScheduler scheduler) {
    this.scheduler = scheduler;
  }

  @Override
  protected Result check() {
    String state = scheduler.state();
    return "running".equals(state)
        ? Result.healthy("instance " + scheduler.instanceId())
        : Result.unhealthy("scheduler is " + state);
  }
}
