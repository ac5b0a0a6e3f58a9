package io.pgvectorops.testing;

import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;

/** Every endpoint of a running application, from Jersey's model of its registered resources. */
public final class Endpoints {
  /** One HTTP method on one path template, with the Java method that answers it. */
  public record Endpoint(String httpMethod, String template, Method method) {
    /** The template with each variable replaced by a sample value of its kind. */
    public String filled() {
      Matcher m = VAR.matcher(template);
      StringBuilder b = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(b, SAMPLES.getOrDefault(m.group(1), "x"));
      }
      m.appendTail(b);
      return b.toString();
    }

    @Override
    public String toString() {
      return httpMethod + " " + template;
    }
  }

  private static final Pattern VAR = Pattern.compile("\\{\\s*(\\w+)\\s*(:[^}]*)?}");
  private static final Map<String, String> SAMPLES =
      Map.of(
          "target", "main",
          "index", "public.none_idx",
          "name", "health",
          "id", "1",
          "file", "app.js");

  private Endpoints() {}

  public static List<Endpoint> of(ResourceConfig config) {
    Set<Class<?>> classes = new LinkedHashSet<>(config.getClasses());
    config.getInstances().forEach(i -> classes.add(i.getClass()));
    List<Endpoint> out = new ArrayList<>();
    for (Class<?> c : classes) {
      if (c.isAnnotationPresent(Path.class) && Resource.isAcceptable(c)) {
        walk(Resource.from(c), "", out);
      }
    }
    return out;
  }

  private static void walk(Resource r, String prefix, List<Endpoint> out) {
    String path = join(prefix, r.getPath());
    for (ResourceMethod m : r.getResourceMethods()) {
      out.add(new Endpoint(m.getHttpMethod(), path, m.getInvocable().getDefinitionMethod()));
    }
    for (Resource child : r.getChildResources()) {
      walk(child, path, out);
    }
  }

  private static String join(String a, String b) {
    if (b == null || b.isEmpty()) {
      return a.isEmpty() ? "/" : a;
    }
    String left = a.endsWith("/") ? a.substring(0, a.length() - 1) : a;
    return left + (b.startsWith("/") ? b : "/" + b);
  }
}
