package io.pgvectorops.api;

import io.pgvectorops.sql.NetworkTimeout;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;

/**
 * An API request waits for the state database no longer than its connect timeout: when the state
 * database stops answering (a partition) the request gets its 503 as soon as when the database is
 * down, instead of after the state pool's statement timeout.
 */
public final class StatePatienceFilter implements Filter {
  private final long millis;

  public StatePatienceFilter(long millis) {
    this.millis = millis;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    try (NetworkTimeout.Bound bound = NetworkTimeout.patience(millis)) {
      chain.doFilter(request, response);
    }
  }
}
