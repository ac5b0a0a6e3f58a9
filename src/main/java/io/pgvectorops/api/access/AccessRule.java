package io.pgvectorops.api.access;

import io.pgvectorops.config.ApiConfig.Role;
import io.pgvectorops.http.Anonymous;
import io.pgvectorops.http.Mutating;
import io.pgvectorops.http.Reading;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a resource method needs, read from its one declaration: {@link Anonymous}, {@link Reading}
 * or {@link Mutating}. Authorization is decided on the matched method, never on the path string, so
 * no spelling of a path reaches a method without its rule.
 *
 * @param role the role a {@link Kind#mutating} call needs; null otherwise
 * @param action the audit trail's name of a {@link Kind#mutating} call; null otherwise
 */
public record AccessRule(Kind kind, Role role, String action) {
  /** How strict a rule is. */
  public enum Kind {
    /** No token, even when reads need one. */
    anonymous,
    /** A viewer's token when {@code api.readAccess} is {@code token}. */
    read,
    /** A token of at least {@link AccessRule#role()}; audited; no cross-site form. */
    mutating
  }

  /** The rule for what the application did not write itself (Jersey's own OPTIONS answers). */
  public static final AccessRule READ = new AccessRule(Kind.read, null, null);

  /**
   * The method's rule; empty when it declares none or more than one, which the filter refuses and a
   * test finds.
   */
  public static Optional<AccessRule> of(Method method) {
    List<AccessRule> declared = new ArrayList<>(1);
    if (method.isAnnotationPresent(Anonymous.class)) {
      declared.add(new AccessRule(Kind.anonymous, null, null));
    }
    if (method.isAnnotationPresent(Reading.class)) {
      declared.add(READ);
    }
    Mutating m = method.getAnnotation(Mutating.class);
    if (m != null) {
      declared.add(new AccessRule(Kind.mutating, m.role(), m.action()));
    }
    return declared.size() == 1 ? Optional.of(declared.get(0)) : Optional.empty();
  }

  /** Whether the method is one of ours, which must declare its rule. */
  public static boolean isOurs(Method method) {
    return method.getDeclaringClass().getName().startsWith("io.pgvectorops.");
  }
}
