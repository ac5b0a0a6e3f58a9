package io.pgvectorops.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgvectorops.testing.RawHttp;

/** docs/api.md: every error answer is JSON {@code {"code": N, "message": "..."}}, N its status. */
final class ErrorShape {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ErrorShape() {}

  static boolean isApiError(RawHttp.Answer a) {
    if (a.contentType() == null || !a.contentType().startsWith("application/json")) {
      return false;
    }
    try {
      JsonNode body = JSON.readTree(a.body());
      return body.path("code").asInt() == a.status() && body.path("message").isTextual();
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
