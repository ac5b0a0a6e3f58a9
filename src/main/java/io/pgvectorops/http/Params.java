package io.pgvectorops.http;

import io.dropwizard.jersey.errors.ErrorMessage;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Query parameter parsing with 400s that say what was wrong. */
public final class Params {
  private Params() {}

  public static int limit(String value, int defaultValue, int max) {
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      int n = Integer.parseInt(value.strip());
      if (n < 1 || n > max) {
        throw new BadRequestException("limit must be between 1 and " + max + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadRequestException("limit must be a whole number, got '" + value + "'");
    }
  }

  /**
   * @param what what the number names, for the message ("run id")
   */
  public static long id(String what, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new BadRequestException(
          what + " must be a whole number, got '" + Redaction.printable(value) + "'");
    }
  }

  /**
   * A text field of a request body: at most {@code max} characters, no control character (a NUL
   * cannot be stored) except line breaks and tabs where {@code multiline}.
   */
  public static void text(String field, String value, int max, boolean multiline) {
    if (value == null) {
      return;
    }
    if (value.length() > max) {
      throw new BadRequestException(
          field + " has " + value.length() + " characters; at most " + max + " are taken");
    }
    String checked =
        multiline ? value.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ') : value;
    if (Redaction.hasControl(checked)) {
      throw new BadRequestException(field + " holds a control character (e.g. NUL): refused");
    }
  }

  /** A 409 in the API's error shape: the call conflicts with what is going on (a run, a limit). */
  public static WebApplicationException conflict(String message) {
    return new WebApplicationException(
        Response.status(409)
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity(new ErrorMessage(409, message))
            .build());
  }
}
