import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-model load at a fixed rate: request i is due at start + i/rate and is queued then, whether or
 * not earlier ones have been answered; its latency is measured from when it was due, so a stall shows
 * up in every request it delays (no coordinated omission). A pool of senders on HTTP/1.1 keep-alive
 * connections over TLS takes the due requests; the pool size caps the connections. The first
 * WARMUP seconds run at the same rate and are not counted.
 *
 * <pre>java FixedRateLoad.java URL RATE SECONDS WARMUP REQUEST.json...</pre>
 */
public class FixedRateLoad {

    private static final int SENDERS = 32;

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: java FixedRateLoad.java URL RATE SECONDS WARMUP REQUEST.json...");
            System.exit(2);
        }
        URI url = URI.create(args[0]);
        int rate = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            bodies.add(Files.readAllBytes(Path.of(args[i])));
        }

        // The benchmark server has a throwaway self-signed certificate on loopback.
        System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String authType) { }
            public void checkServerTrusted(X509Certificate[] chain, String authType) { }
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, null);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trustAll)
                .connectTimeout(Duration.ofSeconds(5)).build();

        int skipped = rate * warmup;
        int total = skipped + rate * seconds;
        long[] latencies = new long[total];
        AtomicInteger errors = new AtomicInteger();
        BlockingQueue<long[]> due = new LinkedBlockingQueue<>();
        CountDownLatch done = new CountDownLatch(total);
        for (int s = 0; s < SENDERS; s++) {
            Thread sender = new Thread(() -> {
                while (true) {
                    long[] next;
                    try {
                        next = due.take();
                    } catch (InterruptedException e) {
                        return;
                    }
                    int index = (int) next[0];
                    try {
                        HttpResponse<String> response = client.send(HttpRequest.newBuilder(url)
                                .header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(5))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(index % bodies.size())))
                                .build(), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200 || !response.body().contains("\"allowed\":true")) {
                            error(errors, index >= skipped, response.statusCode() + " " + response.body());
                        }
                    } catch (Exception e) {
                        error(errors, index >= skipped, e.toString());
                    }
                    latencies[index] = System.nanoTime() - next[1];
                    done.countDown();
                }
            });
            sender.setDaemon(true);
            sender.start();
        }

        long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        for (int i = 0; i < total; i++) {
            long at = start + i * periodNanos;
            for (long wait = at - System.nanoTime(); wait > 0; wait = at - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            due.add(new long[] {i, at});
        }
        if (!done.await(30, TimeUnit.SECONDS)) {
            System.err.println("requests still open 30 s after the last was due");
        }
        double elapsed = (System.nanoTime() - start) / 1e9 - warmup;

        long[] measured = Arrays.copyOfRange(latencies, skipped, total);
        Arrays.sort(measured);
        int count = measured.length;
        System.out.printf("requests %d in %.1f s (%.0f/s) after %d s warm-up, errors %d%n",
                count, elapsed, count / elapsed, warmup, errors.get());
        System.out.printf("latency ms: p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f%n",
                ms(measured, 0.50), ms(measured, 0.90), ms(measured, 0.99), ms(measured, 0.999),
                measured[count - 1] / 1e6);
        System.exit(errors.get() == 0 ? 0 : 1);
    }

    private static void error(AtomicInteger errors, boolean counted, String what) {
        if (counted && errors.getAndIncrement() == 0) {
            System.err.println("first error: " + what);
        }
    }

    private static double ms(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }
}
