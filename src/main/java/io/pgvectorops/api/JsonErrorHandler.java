package io.pgvectorops.api;

import io.pgvectorops.api.access.ErrorBody;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own answers (a request line too long: 414, headers too large: 431, an unparseable
 * request: 400) in the API's shape, {@code {"code": N, "message": "..."}}, instead of an HTML page;
 * never a stack trace.
 */
public final class JsonErrorHandler extends ErrorHandler {
  /**
   * Every method gets the body, not only GET, POST and HEAD (Jetty's default): a DELETE or PUT to a
   * path Jetty refuses (an empty segment, an encoded separator) answered 400 with no body at all.
   */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback)
      throws IOException {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(json(code, message)), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    return ByteBuffer.wrap(json(status, reason));
  }

  private static byte[] json(int code, String message) {
    return ErrorBody.json(
        code, message == null || message.isBlank() ? HttpStatus.getMessage(code) : message);
  }
}
