package dev.bootsource.operator.bench;

import dev.bootsource.live.OperatorProcess;
import dev.bootsource.model.Keys;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bootsource run} (the jar) against a real Kubernetes API server ({@code scripts/realapi.sh}): N
 * StorageClasses with their StorageProfiles over 50 CSI drivers, of which 25 have provisioner facts (their
 * profiles change) and 25 do not (theirs stay as they are), one VolumeSnapshotClass per driver.
 *
 * <p>In one run, on the same server: a plain client's time for the same number of merge patches with 8
 * workers; then the operator's start to ready and start to converged, the API requests it made (from the
 * server's own {@code apiserver_request_total}), writes during a steady-state window, its resident memory.
 * Each timed phase starts on a quiet machine (see {@link #awaitQuietMachine()}).
 * Usage: {@code bench/operator/run.sh --real-api [storageClasses] [steadySeconds]}, with KUBECONFIG set
 * and {@code OPERATOR_JAVA_OPTS} the operator's JVM options.
 */
public final class RealApiOperatorBenchmark {

    private static final int DRIVERS = 50;
    private static final int WORKERS = 8;
    private static final String BASELINE_KEY = "bench.bootsource.dev/plain-client-write";
    private static final ResourceDefinitionContext PROFILES = crd("cdi.kubevirt.io", "v1beta1", "StorageProfile", "storageprofiles");
    private static final ResourceDefinitionContext STORAGE_CLASSES = crd("storage.k8s.io", "v1", "StorageClass", "storageclasses");
    private static final ResourceDefinitionContext SNAPSHOT_CLASSES =
            crd("snapshot.storage.k8s.io", "v1", "VolumeSnapshotClass", "volumesnapshotclasses");
    private static final Pattern REQUEST_TOTAL = Pattern.compile(
            "^apiserver_request_total\\{(.*)} ([0-9.e+]+)$");

    public static void main(String[] args) throws Exception {
        int storageClasses = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Duration steady = Duration.ofSeconds(args.length > 1 ? Integer.parseInt(args[1]) : 60);
        Path jar = Path.of(System.getProperty("bench.jar", "target/bootsource.jar"));
        List<String> jvmOptions = Arrays.stream(System.getenv().getOrDefault("OPERATOR_JAVA_OPTS", "").trim().split("\\s+"))
                .filter(option -> !option.isBlank()).toList();
        Path kubeconfig = Path.of(System.getenv("KUBECONFIG"));
        Path work = Files.createTempDirectory("bootsource-bench");
        System.out.println("load average at start: " + loadAverage());
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build()) {
            clear(client);
            long seedStart = System.nanoTime();
            List<String> changing = seed(client, storageClasses);
            System.out.printf(Locale.ROOT, "seeded %d StorageClasses, %d StorageProfiles (%d to change), %d VolumeSnapshotClasses in %.1f s%n",
                    storageClasses, storageClasses, changing.size(), DRIVERS, seconds(System.nanoTime() - seedStart));

            System.out.println("quiet before the plain client: " + awaitQuietMachine());
            double plainSeconds = plainClientPatches(client, changing);
            System.out.printf(Locale.ROOT, "plain client: %d merge patches with %d workers in %.2f s%n", changing.size(), WORKERS, plainSeconds);

            ConvergenceWatch watch = new ConvergenceWatch(client, changing.size());
            Path config = Files.writeString(work.resolve("provisioners.yaml"), providerConfig());
            int metricsPort = freePort();
            Map<String, Double> before = requestTotals(kubeconfig);
            System.out.println("quiet before the operator: " + awaitQuietMachine());
            long started = System.nanoTime();
            try (OperatorProcess operator = OperatorProcess.startJar(jar, kubeconfig, work.resolve("operator.log"), jvmOptions,
                    List.of("--no-leader-election", "--metrics-port=" + metricsPort, "--webhook-port=" + freePort(),
                            "--config=" + config, "--resync-period=20s", "--reconcile-threads=8"))) {
                double readySeconds = awaitReady(metricsPort, operator, started);
                watch.await(operator, Duration.ofMinutes(10));
                double convergeSeconds = seconds(System.nanoTime() - started);
                long rssConverged = operator.residentKib();
                Map<String, Double> converged = requestTotals(kubeconfig);
                Map<String, Double> whileConverging = difference(converged, before);
                awaitQuiet(kubeconfig);
                Map<String, Double> quiet = requestTotals(kubeconfig);
                Thread.sleep(steady.toMillis());
                Map<String, Double> steadyRequests = difference(requestTotals(kubeconfig), quiet);
                long rss = operator.residentKib();
                report(storageClasses, changing.size(), plainSeconds, readySeconds, convergeSeconds, whileConverging,
                        steadyRequests, steady, rssConverged, rss, jvmOptions, operator);
            } finally {
                watch.close();
            }
        }
        System.out.println("load average at the end: " + loadAverage());
    }

    /** StorageClasses, their profiles (status as CDI writes it) and one snapshot class per driver, with 8 workers. */
    private static List<String> seed(KubernetesClient client, int storageClasses) throws Exception {
        List<String> changing = new ArrayList<>();
        List<Runnable> creates = new ArrayList<>();
        for (int d = 0; d < DRIVERS; d++) {
            boolean imagesClass = d % 4 == 0;
            String name = (imagesClass ? "images-" : "standard-") + d;
            GenericKubernetesResource vsc = new GenericKubernetesResourceBuilder()
                    .withApiVersion("snapshot.storage.k8s.io/v1").withKind("VolumeSnapshotClass")
                    .withNewMetadata().withName(name).endMetadata()
                    .addToAdditionalProperties("driver", driver(d))
                    .addToAdditionalProperties("deletionPolicy", "Delete")
                    .addToAdditionalProperties("parameters", Map.of("snapshot-type", imagesClass ? "images" : "standard"))
                    .build();
            creates.add(() -> client.resource(vsc).create());
        }
        for (int i = 0; i < storageClasses; i++) {
            String name = String.format(Locale.ROOT, "sc-%05d", i);
            int d = i % DRIVERS;
            if (hasFacts(d)) {
                changing.add(name);
            }
            GenericKubernetesResource sc = new GenericKubernetesResourceBuilder()
                    .withApiVersion("storage.k8s.io/v1").withKind("StorageClass")
                    .withNewMetadata().withName(name).endMetadata()
                    .addToAdditionalProperties("provisioner", driver(d))
                    .addToAdditionalProperties("parameters", Map.of("tier", "t" + i))
                    .build();
            GenericKubernetesResource profile = new GenericKubernetesResourceBuilder()
                    .withApiVersion("cdi.kubevirt.io/v1beta1").withKind("StorageProfile")
                    .withNewMetadata().withName(name).endMetadata()
                    .addToAdditionalProperties("spec", Map.of())
                    .build();
            creates.add(() -> {
                client.resource(sc).create();
                GenericKubernetesResource created = client.resource(profile).create();
                created.setAdditionalProperty("status", Map.of("provisioner", driver(d), "storageClass", name));
                client.resource(created).updateStatus();
            });
        }
        runWithWorkers(creates);
        return changing;
    }

    /** The same number of merge patches, one annotation each, as a plain client with 8 workers sends them. */
    private static double plainClientPatches(KubernetesClient client, List<String> profiles) throws Exception {
        List<Runnable> patches = profiles.stream().<Runnable>map(name -> () -> client.genericKubernetesResources(PROFILES)
                .withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"annotations\":{\"" + BASELINE_KEY + "\":\"" + name + "\"}}}")).toList();
        long start = System.nanoTime();
        runWithWorkers(patches);
        return seconds(System.nanoTime() - start);
    }

    private static void runWithWorkers(List<Runnable> tasks) throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            tasks.forEach(task -> done.add(workers.submit(task)));
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            workers.shutdownNow();
        }
    }

    private static double awaitReady(int port, OperatorProcess operator, long started) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest readyz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build();
        long deadline = started + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (!operator.isAlive()) {
                throw new IllegalStateException("the operator exited:\n" + operator.logTail(40));
            }
            try {
                if (http.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return seconds(System.nanoTime() - started);
                }
            } catch (IOException notListeningYet) {
                // the health server is not up yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the operator was not ready within 5 minutes");
    }

    /** Waits until the server has seen no write for 3 s (the operator's queued work done). */
    private static void awaitQuiet(Path kubeconfig) throws Exception {
        double last = -1;
        int quietFor = 0;
        while (quietFor < 3) {
            Thread.sleep(1000);
            double writes = writes(requestTotals(kubeconfig));
            quietFor = writes == last ? quietFor + 1 : 0;
            last = writes;
        }
    }

    private static void report(int storageClasses, int changing, double plainSeconds, double readySeconds, double convergeSeconds,
                               Map<String, Double> converging, Map<String, Double> steady, Duration steadyWindow,
                               long rssConvergedKib, long rssKib, List<String> jvmOptions, OperatorProcess operator) {
        double patches = converging.getOrDefault("PATCH storageprofiles", 0.0);
        double total = converging.values().stream().mapToDouble(Double::doubleValue).sum();
        System.out.println();
        System.out.println("operator runtime: Java " + System.getProperty("java.version") + " (" + System.getProperty("java.home") + ")");
        System.out.println("operator JVM options: " + (jvmOptions.isEmpty() ? "(none)" : String.join(" ", jvmOptions)));
        System.out.println("| measure | result |");
        System.out.println("|---|---|");
        row("StorageClasses / StorageProfiles / drivers", storageClasses + " / " + storageClasses + " / " + DRIVERS);
        row("profiles to change", Integer.toString(changing));
        row("plain client: " + changing + " merge patches, " + WORKERS + " workers", String.format(Locale.ROOT, "%.2f s", plainSeconds));
        row("operator: start to ready (/readyz 200, incl. JVM start)", String.format(Locale.ROOT, "%.2f s", readySeconds));
        row("operator: start to all changed profiles converged (incl. JVM start)", String.format(Locale.ROOT, "%.2f s", convergeSeconds));
        row("ratio converged / plain client", String.format(Locale.ROOT, "%.2f", convergeSeconds / plainSeconds));
        row("StorageProfile PATCHes per changed profile", String.format(Locale.ROOT, "%.3f (%.0f for %d)", patches / changing, patches, changing));
        row("API requests while converging, per changed profile (all kinds, the server's count)",
                String.format(Locale.ROOT, "%.2f (%.0f)", total / changing, total));
        row("writes during " + steadyWindow.toSeconds() + " s of steady state (resync every 20 s)",
                String.format(Locale.ROOT, "%.0f", writes(steady)));
        row("requests of any kind during steady state", String.format(Locale.ROOT, "%.0f",
                steady.values().stream().mapToDouble(Double::doubleValue).sum()));
        row("operator resident memory (VmRSS) when converged / at the end", String.format(Locale.ROOT, "%.0f / %.0f MiB",
                rssConvergedKib / 1024.0, rssKib / 1024.0));
        System.out.println();
        System.out.println("requests while converging, by verb and resource (the benchmark's own watch and metrics reads included):");
        new TreeMap<>(converging).forEach((kind, n) -> System.out.printf(Locale.ROOT, "  %s: %.0f%n", kind, n));
        System.out.println("operator log: " + operator.log());
    }

    /** {@code apiserver_request_total} summed by "VERB resource[/subresource]". */
    private static Map<String, Double> requestTotals(Path kubeconfig) throws Exception {
        Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            String text = client.raw("/metrics");
            Map<String, Double> totals = new TreeMap<>();
            for (String line : text.split("\n")) {
                Matcher m = REQUEST_TOTAL.matcher(line);
                if (!m.matches()) {
                    continue;
                }
                Map<String, String> labels = labels(m.group(1));
                String resource = labels.getOrDefault("resource", "");
                if (resource.isEmpty() || resource.equals("customresourcedefinitions")) {
                    continue;
                }
                String sub = labels.getOrDefault("subresource", "");
                String key = labels.get("verb") + " " + resource + (sub.isEmpty() ? "" : "/" + sub);
                totals.merge(key, Double.parseDouble(m.group(2)), Double::sum);
            }
            return totals;
        }
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new TreeMap<>();
        Matcher m = Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher(text);
        while (m.find()) {
            labels.put(m.group(1), m.group(2));
        }
        return labels;
    }

    private static Map<String, Double> difference(Map<String, Double> after, Map<String, Double> before) {
        Map<String, Double> difference = new TreeMap<>();
        after.forEach((key, value) -> {
            double d = value - before.getOrDefault(key, 0.0);
            if (d > 0) {
                difference.put(key, d);
            }
        });
        return difference;
    }

    private static double writes(Map<String, Double> totals) {
        return totals.entrySet().stream()
                .filter(e -> e.getKey().startsWith("PATCH ") || e.getKey().startsWith("POST ") || e.getKey().startsWith("CREATE ")
                        || e.getKey().startsWith("UPDATE ") || e.getKey().startsWith("APPLY ") || e.getKey().startsWith("DELETE ")
                        || e.getKey().startsWith("PUT "))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** Counts profiles carrying the operator's annotations, from a watch (not by listing 2,000 profiles again and again). */
    private static final class ConvergenceWatch implements AutoCloseable {
        private final SharedIndexInformer<GenericKubernetesResource> informer;
        private final int expected;

        ConvergenceWatch(KubernetesClient client, int expected) {
            this.expected = expected;
            this.informer = client.genericKubernetesResources(PROFILES).inform();
        }

        void await(OperatorProcess operator, Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (System.nanoTime() < deadline) {
                if (!operator.isAlive()) {
                    throw new IllegalStateException("the operator exited:\n" + operator.logTail(40));
                }
                long converged = informer.getStore().list().stream()
                        .map(p -> p.getMetadata().getAnnotations())
                        .filter(a -> a != null && a.containsKey(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES) && a.containsKey(Keys.MINIMUM_PVC_SIZE))
                        .count();
                if (converged >= expected) {
                    return;
                }
                Thread.sleep(50);
            }
            throw new IllegalStateException("profiles did not converge within " + limit + ":\n" + operator.logTail(40));
        }

        @Override
        public void close() {
            informer.close();
        }
    }

    private static void clear(KubernetesClient client) {
        for (ResourceDefinitionContext kind : List.of(PROFILES, STORAGE_CLASSES, SNAPSHOT_CLASSES)) {
            client.genericKubernetesResources(kind).delete();
        }
    }

    /** Facts for the 25 even drivers: golden images RWO, images snapshots, 1Gi minimum; none for the odd ones. */
    private static String providerConfig() {
        StringBuilder yaml = new StringBuilder("provisioners:\n");
        for (int d = 0; d < DRIVERS; d++) {
            if (!hasFacts(d)) {
                continue;
            }
            yaml.append("  ").append(driver(d)).append(":\n")
                    .append("    minimumPvcSize: 1Gi\n")
                    .append("    bootSource:\n")
                    .append("      readWriteOnce: true\n")
                    .append("      snapshotClassParameters:\n")
                    .append("        snapshot-type: images\n");
        }
        return yaml.toString();
    }

    /** Even drivers have facts; of those, every other one has an images class already (d % 4 == 0). */
    private static boolean hasFacts(int driver) {
        return driver % 2 == 0;
    }

    private static String driver(int index) {
        return String.format(Locale.ROOT, "bench-%02d.csi.example.com", index);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Waits (at most 30 s) until the machine is quiet, the cores at least 90 % idle over one second, so that
     * a timed phase does not pay for the previous one's aftermath: the API server's garbage collection and
     * etcd's compaction after thousands of writes.
     *
     * @return how long it waited and how idle the cores were, for the log
     */
    private static String awaitQuietMachine() throws InterruptedException {
        long start = System.nanoTime();
        double idle = 0;
        while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30)) {
            long[] before = cpuTicks();
            Thread.sleep(1000);
            long[] after = cpuTicks();
            if (before == null || after == null) {
                return "unknown (no /proc/stat)";
            }
            idle = (double) (after[1] - before[1]) / Math.max(1, after[0] - before[0]);
            if (idle >= 0.9) {
                break;
            }
        }
        return String.format(Locale.ROOT, "%.0f %% idle after %.1f s", idle * 100, seconds(System.nanoTime() - start));
    }

    /** All CPU ticks and idle ticks (idle and I/O wait) from the first line of /proc/stat, or null. */
    private static long[] cpuTicks() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            return new long[] {total, Long.parseLong(fields[4]) + Long.parseLong(fields[5])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static ResourceDefinitionContext crd(String group, String version, String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(false).build();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void row(String measure, String result) {
        System.out.println("| " + measure + " | " + result + " |");
    }

    private RealApiOperatorBenchmark() {
    }
}
