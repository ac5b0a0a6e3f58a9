package io.pgvectorops.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of a PostgreSQL server that can stop forwarding: a network partition as the
 * daemon sees it. While stalled, connections stay open and new ones are accepted, but no byte goes
 * through in either direction (nothing resets the connection, as with a firewall dropping packets
 * or a frozen host); bytes already read wait and go through when it flows again. It can also
 * refuse, as a server that is down: every connection, open or new, is closed at once.
 */
public final class StallingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final String host;
  private final int port;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Object gate = new Object();
  private volatile boolean stalled;
  private volatile boolean refusing;
  private volatile boolean closed;

  public StallingProxy(String host, int port) throws IOException {
    this.host = host;
    this.port = port;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::acceptLoop, "stalling-proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  /** The same database, reached through this proxy. */
  public TestPostgres.Database in(TestPostgres.Database db) {
    return new TestPostgres.Database(
        db.name(), "127.0.0.1", listener.getLocalPort(), db.user(), db.password());
  }

  public void stall() {
    stalled = true;
  }

  /** Closes every open connection and each new one at once, until {@link #flow}. */
  public void refuse() {
    refusing = true;
    sockets.forEach(StallingProxy::closeQuietly);
    sockets.clear();
  }

  public void flow() {
    synchronized (gate) {
      stalled = false;
      refusing = false;
      gate.notifyAll();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        if (refusing) {
          closeQuietly(client);
          continue;
        }
        Socket server = new Socket();
        server.connect(new InetSocketAddress(host, port), 5000);
        sockets.add(client);
        sockets.add(server);
        pump(client, server);
        pump(server, client);
      } catch (IOException e) {
        if (!closed) {
          // one failed connection: the next accept goes on
          continue;
        }
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16384];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  awaitFlowing();
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (IOException | InterruptedException e) {
                // one side closed: close the other
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "stalling-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private void awaitFlowing() throws InterruptedException {
    synchronized (gate) {
      while (stalled && !closed) {
        gate.wait(1000);
      }
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    flow();
    listener.close();
    sockets.forEach(StallingProxy::closeQuietly);
  }
}
