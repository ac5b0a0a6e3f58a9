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
import java.io.InputStream;

/**
 * Request bodies are small JSON documents (a silence is under 3 kB): one over {@link #MAX_BYTES} is
 * refused with 413 before anything parses it (it is read and dropped up to {@link #DRAIN_BYTES}, so
 * the client can read the answer), and a body of unknown length (chunked) with 411, so no request
 * makes the daemon parse megabytes.
 */
public final class BodyLimitFilter implements Filter {
  /** 1 MiB. */
  public static final long MAX_BYTES = 1L << 20;

  /** A refused body up to this size is read and dropped before the answer; a larger one is not. */
  static final long DRAIN_BYTES = 16L << 20;

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    long length = request.getContentLengthLong();
    String chunked = request.getHeader("Transfer-Encoding");
    if (length > MAX_BYTES) {
      // read and dropped, never parsed: a client that sends its whole body before it reads the
      // answer (most do) then gets the 413 instead of a reset; past DRAIN_BYTES the connection is
      // closed unread
      boolean drained = length <= DRAIN_BYTES && drain(request.getInputStream());
      HttpServletResponse response = (HttpServletResponse) res;
      if (!drained) {
        response.setHeader("Connection", "close");
      }
      refuse(
          response,
          413,
          "the request body has " + length + " bytes; at most " + MAX_BYTES + " are taken");
      return;
    }
    if (length < 0 && chunked != null) {
      ((HttpServletResponse) res).setHeader("Connection", "close");
      refuse(
          (HttpServletResponse) res,
          411,
          "a request body needs a Content-Length (at most " + MAX_BYTES + " bytes)");
      return;
    }
    chain.doFilter(req, res);
  }

  /** Reads the body to its end without keeping it; false when the client stopped sending. */
  private static boolean drain(InputStream in) {
    byte[] buffer = new byte[8192];
    try {
      while (in.read(buffer) >= 0) {
        // dropped
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void refuse(HttpServletResponse response, int status, String message)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.getOutputStream().write(ErrorBody.json(status, message));
  }
}
