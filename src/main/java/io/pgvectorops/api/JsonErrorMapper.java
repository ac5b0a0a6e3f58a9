package io.pgvectorops.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.dropwizard.jersey.errors.ErrorMessage;
import io.pgvectorops.http.Redaction;
import jakarta.annotation.Priority;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.time.Instant;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request body that is not what the endpoint takes: 400 naming the field and the problem
 * (Dropwizard's own answer says only "Unable to process JSON"). A mapping the server cannot build
 * is its own fault: 500, logged.
 */
// ahead of Dropwizard's mapper of the same exception type
@Priority(1)
public class JsonErrorMapper implements ExceptionMapper<JsonProcessingException> {
  private static final Logger LOG = LoggerFactory.getLogger(JsonErrorMapper.class);

  @Override
  public Response toResponse(JsonProcessingException e) {
    if (e instanceof InvalidDefinitionException) {
      LOG.error("api - a JSON mapping the daemon cannot build", e);
      return answer(500, "the server could not read or write this JSON (logged)");
    }
    return answer(400, Redaction.printable(describe(e)));
  }

  static String describe(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      return "unknown field '"
          + u.getPropertyName()
          + "'"
          + (u.getKnownPropertyIds() == null || u.getKnownPropertyIds().isEmpty()
              ? ""
              : " (known: "
                  + u.getKnownPropertyIds().stream()
                      .map(String::valueOf)
                      .sorted()
                      .collect(Collectors.joining(", "))
                  + ")");
    }
    if (e instanceof InvalidFormatException f) {
      return field(f)
          + "cannot read "
          + abbreviated(String.valueOf(f.getValue()))
          + " as "
          + typeName(f.getTargetType());
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return field(m) + "expected " + typeName(m.getTargetType()) + " here";
    }
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      return field(m) + e.getOriginalMessage();
    }
    JsonLocation at = e.getLocation();
    return "malformed JSON"
        + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
        + ": "
        + abbreviated(e.getOriginalMessage());
  }

  private static String field(JsonMappingException m) {
    String path =
        m.getPath().stream()
            .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining("."))
            .replace(".[", "[");
    return path.isEmpty() ? "" : "field '" + path + "': ";
  }

  private static String typeName(Class<?> type) {
    if (type == Instant.class) {
      return "an ISO-8601 time like 2026-12-01T00:00:00Z";
    }
    if (type == String.class) {
      return "a string";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a number";
    }
    return type.getSimpleName();
  }

  private static String abbreviated(String s) {
    return s == null ? "" : s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }

  private static Response answer(int status, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ErrorMessage(status, message))
        .build();
  }
}
