package dev.bootsource.webhook;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Clients on bare sockets, well-behaved or not, for tests that need control over every byte and every
 * pause: the JDK's HttpClient cannot stall in a handshake or trickle a header.
 */
public final class RawClient {

    private RawClient() {
    }

    /** The outcome of one request on a fresh connection: HTTP status (0 for none) and how long it took. */
    public record Answer(int status, String body, Duration took) {
        public boolean okWithin(Duration limit) {
            return status == 200 && took.compareTo(limit) <= 0;
        }
    }

    /** One POST on a fresh TLS connection, {@code Connection: close}; never throws, never takes more than the timeout. */
    public static Answer post(SSLContext context, int port, String path, byte[] body, Duration timeout) {
        long started = System.nanoTime();
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String answer = readAll(socket.getInputStream());
            return new Answer(status(answer), bodyOf(answer), Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            return new Answer(0, e.toString(), Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** One GET on a fresh TLS connection. */
    public static Answer getTls(SSLContext context, int port, String path, Duration timeout) {
        long started = System.nanoTime();
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = readAll(socket.getInputStream());
            return new Answer(status(answer), bodyOf(answer), Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            return new Answer(0, e.toString(), Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** One GET over plain HTTP on a fresh connection. */
    public static Answer get(int port, String path, Duration timeout) {
        long started = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = readAll(socket.getInputStream());
            return new Answer(status(answer), bodyOf(answer), Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            return new Answer(0, e.toString(), Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** A plain TCP connection from a given local address (any of 127.0.0.0/8 on Linux), sending {@code text}. */
    public static Socket plainFrom(String localAddress, int port, String text) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(localAddress, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** A TCP connection that never starts its TLS handshake. */
    public static Socket silentTcp(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        return socket;
    }

    /** A TCP connection that sends the first bytes of a TLS ClientHello, then nothing. */
    static Socket stalledHandshake(int port) throws IOException {
        Socket socket = silentTcp(port);
        socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01});
        socket.getOutputStream().flush();
        return socket;
    }

    /** A completed TLS handshake, then the first line of a request and no more (the caller trickles the rest). */
    static SSLSocket headersStarted(SSLContext context, int port) throws IOException {
        SSLSocket socket = handshaken(context, port);
        socket.getOutputStream().write("POST /mutate HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** One more header line, as a trickling client sends it. */
    static void trickle(Socket socket, int line) throws IOException {
        socket.getOutputStream().write(("X-Trickle-" + line + ": " + line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** Complete headers declaring a body of {@code declared} bytes, then only {@code sent} of them. */
    static SSLSocket bodyWithheld(SSLContext context, int port, int declared, byte[] sent) throws IOException {
        SSLSocket socket = handshaken(context, port);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /mutate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                + declared + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(sent);
        out.flush();
        return socket;
    }

    static SSLSocket handshaken(SSLContext context, int port) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        socket.setSoTimeout(5000);
        socket.startHandshake();
        return socket;
    }

    /** Whether the server has closed (or reset) the connection, waiting at most {@code within}. */
    public static boolean closedByServer(Socket socket, Duration within) {
        try {
            socket.setSoTimeout((int) Math.max(1, within.toMillis()));
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[1024];
            long deadline = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < deadline) {
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset, or TLS alert then close
        }
    }

    public static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        in.transferTo(answer);
        return answer.toString(StandardCharsets.UTF_8);
    }

    private static int status(String answer) {
        return answer.startsWith("HTTP/1.1 ") && answer.length() >= 12 ? Integer.parseInt(answer.substring(9, 12)) : 0;
    }

    private static String bodyOf(String answer) {
        int start = answer.indexOf("\r\n\r\n");
        return start < 0 ? "" : answer.substring(start + 4);
    }
}
