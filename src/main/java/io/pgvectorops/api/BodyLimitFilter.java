package io.pgvectorops.api;

import io.pgvectorops.api.access.ErrorBody;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Request bodies are small JSON documents (a silence is under 3 kB): one over {@link #MAX_BYTES} is
 * refused with 413 before anything reads it, and a body of unknown length (chunked) with 411, so no
 * request makes the daemon parse megabytes.
 */
public final class BodyLimitFilter implements Filter {
  /** 1 MiB. */
  public static final long MAX_BYTES = 1L << 20;

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    long length = request.getContentLengthLong();
    String chunked = request.getHeader("Transfer-Encoding");
    if (length > MAX_BYTES) {
      refuse(
          (HttpServletResponse) res,
          413,
          "the request body has " + length + " bytes; at most " + MAX_BYTES + " are taken");
      return;
    }
    if (length < 0 && chunked != null) {
      refuse(
          (HttpServletResponse) res,
          411,
          "a request body needs a Content-Length (at most " + MAX_BYTES + " bytes)");
      return;
    }
    chain.doFilter(req, res);
  }

  private static void refuse(HttpServletResponse response, int status, String message)
      throws IOException {
    response.setStatus(status);
    response.setHeader("Connection", "close");
    response.setContentType("application/json");
    response.getOutputStream().write(ErrorBody.json(status, message));
  }
}
