package io.pgvectorops.targets;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;
import jdk.net.ExtendedSocketOptions;

/**
 * The driver's sockets with TCP keepalive probing after 30 s of silence, every 10 s, given up after
 * 3 unanswered probes: a peer that is gone (a partition, a host that froze) is noticed within about
 * a minute even while a long statement (an index build) legitimately sends nothing, where Linux's
 * defaults take over two hours. pgjdbc creates it by name (the socketFactory property).
 */
public final class KeepaliveSocketFactory extends SocketFactory {
  static final int IDLE_SECONDS = 30;
  static final int INTERVAL_SECONDS = 10;
  static final int PROBES = 3;

  @Override
  public Socket createSocket() throws IOException {
    Socket s = new Socket();
    s.setKeepAlive(true);
    try {
      s.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, IDLE_SECONDS);
      s.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, INTERVAL_SECONDS);
      s.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, PROBES);
    } catch (UnsupportedOperationException e) {
      // a platform without these options keeps its defaults; the socket timeout still applies
    }
    return s;
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    throw new IOException("unconnected sockets only");
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    throw new IOException("unconnected sockets only");
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    throw new IOException("unconnected sockets only");
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    throw new IOException("unconnected sockets only");
  }
}
