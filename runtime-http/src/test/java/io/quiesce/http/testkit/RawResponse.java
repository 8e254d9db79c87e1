package io.quiesce.http.testkit;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;

/** A complete HTTP/1.1 response as read off a raw socket; header names are lower case. */
public record RawResponse(int status, Map<String, String> headers, String body) {

  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** True if the response carries {@code Connection: close}. */
  public boolean asksToClose() {
    String connection = header("connection");
    return connection != null && connection.equalsIgnoreCase("close");
  }

  public JsonObject json() {
    return new JsonObject(body);
  }
}
