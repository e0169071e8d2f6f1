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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-model load at a fixed rate: request i is due at start + i/rate and is sent then, whether or not
 * earlier ones have been answered; its latency is measured from when it was due, so a stall shows up in
 * every request it delays (no coordinated omission). HTTP/1.1 over TLS with keep-alive connections.
 *
 * <pre>java FixedRateLoad.java URL RATE SECONDS REQUEST.json...</pre>
 */
public class FixedRateLoad {

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: java FixedRateLoad.java URL RATE SECONDS REQUEST.json...");
            System.exit(2);
        }
        URI url = URI.create(args[0]);
        int rate = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
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

        int total = rate * seconds;
        long[] latencies = new long[total];
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger firstErrorShown = new AtomicInteger();
        CompletableFuture<?>[] pending = new CompletableFuture<?>[total];
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        for (int i = 0; i < total; i++) {
            long due = start + i * periodNanos;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            int index = i;
            HttpRequest request = HttpRequest.newBuilder(url)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i % bodies.size())))
                    .build();
            pending[i] = client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
                latencies[index] = System.nanoTime() - due;
                if (failure != null || response.statusCode() != 200 || !response.body().contains("\"allowed\":true")) {
                    errors.incrementAndGet();
                    if (firstErrorShown.getAndIncrement() == 0) {
                        System.err.println("first error: " + (failure != null ? failure : response.statusCode() + " " + response.body()));
                    }
                }
                return null;
            });
        }
        CompletableFuture.allOf(pending).get(30, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;

        Arrays.sort(latencies);
        System.out.printf("requests %d in %.1f s (%.0f/s), errors %d%n", total, elapsed, total / elapsed, errors.get());
        System.out.printf("latency ms: p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f%n",
                ms(latencies, 0.50), ms(latencies, 0.90), ms(latencies, 0.99), ms(latencies, 0.999),
                latencies[latencies.length - 1] / 1e6);
        System.exit(errors.get() == 0 ? 0 : 1);
    }

    private static double ms(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }
}
