package io.pgvectorops.sql;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;

/**
 * A connection that counts what succeeded on it: each statement executed and each commit. {@link
 * Jdbc} retries a unit of work on a fresh connection only while that count is zero, so nothing that
 * may have had an effect is done twice.
 */
final class CountingConnection {
  /** What one unit of work did on its connection. */
  static final class Unit {
    private int succeeded;
    private boolean connected;

    boolean connected() {
      return connected;
    }

    void connected(boolean value) {
      connected = value;
    }

    int succeeded() {
      return succeeded;
    }
  }

  private CountingConnection() {}

  static Connection wrap(Connection real, Unit unit) {
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              Object result = call(real, method, args);
              String name = method.getName();
              if (result instanceof Statement s
                  && (name.startsWith("prepare") || name.equals("createStatement"))) {
                return statement(s, method.getReturnType(), unit);
              }
              if (name.equals("commit")) {
                unit.succeeded++;
              }
              return result;
            });
  }

  private static Object statement(Statement real, Class<?> type, Unit unit) {
    return Proxy.newProxyInstance(
        Connection.class.getClassLoader(),
        new Class<?>[] {type},
        (proxy, method, args) -> {
          Object result = call(real, method, args);
          if (method.getName().startsWith("execute")) {
            unit.succeeded++;
          }
          return result;
        });
  }

  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
