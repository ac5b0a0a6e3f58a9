package io.pgvectorops.api;

import io.dropwizard.jersey.errors.ErrorMessage;
import io.pgvectorops.http.Redaction;
import io.pgvectorops.sql.DbException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state database being unavailable is a 503 with a reason, not a 500 with a stack trace. A
 * value the database refuses as data (SQLSTATE class 22: a NUL, a time out of its range) is the
 * caller's: 400. The resources check their input first; this is the wall behind them.
 */
public class DbExceptionMapper implements ExceptionMapper<DbException> {
  private static final Logger LOG = LoggerFactory.getLogger(DbExceptionMapper.class);

  @Override
  public Response toResponse(DbException e) {
    if (e.sqlState() != null && e.sqlState().startsWith("22")) {
      LOG.info("api - a value the state database refuses: {}", e.getMessage());
      return Response.status(400)
          .type(MediaType.APPLICATION_JSON_TYPE)
          .entity(
              new ErrorMessage(
                  400,
                  "a value in this request cannot be stored: " + Redaction.printable(e.detail())))
          .build();
    }
    LOG.warn("api - {}", e.getMessage());
    return Response.status(503)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ErrorMessage(503, "database unavailable: " + e.getMessage()))
        .build();
  }
}
