package dev.bootsource.operator.bench;

import dev.bootsource.cli.BootSourceCommand;
import dev.bootsource.cli.LogfmtLogging;
import dev.bootsource.model.Keys;
import dev.bootsource.model.StorageProfile;
import dev.bootsource.operator.FaultInjectingDispatcher;
import dev.bootsource.operator.MockCluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The operator at scale against the fabric8 mock server: N StorageClasses with their StorageProfiles over
 * 50 CSI drivers, one VolumeSnapshotClass per driver (half of them boot-source classes, half not, so
 * BootSource creates a class for the other half). The operator runs as {@code bootsource run} in its own
 * JVM, so its resident memory is its own; this JVM hosts the API server and counts its requests.
 *
 * <p>Reports: time from process start to every profile converged, requests per changed profile, writes
 * during a steady-state window (with a resync every 20 s, so full resyncs happen inside it), resident
 * memory. Usage: {@code bench/operator/run.sh [storageClasses] [steadySeconds]}.
 */
public final class OperatorBenchmark {

    private static final int DRIVERS = 50;
    private static final String ADMIN = "test-admin";

    public static void main(String[] args) throws Exception {
        int storageClasses = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Duration steady = Duration.ofSeconds(args.length > 1 ? Integer.parseInt(args[1]) : 60);
        Path work = Files.createTempDirectory("bootsource-bench");
        try (MockCluster cluster = new MockCluster()) {
            cluster.installCdi();
            cluster.installSnapshotCrds();
            long seedStart = System.nanoTime();
            cluster.create(clusterYaml(storageClasses));
            System.out.printf(Locale.ROOT, "seeded %d StorageClasses, %d StorageProfiles, %d VolumeSnapshotClasses in %.1f s%n",
                    storageClasses, storageClasses, DRIVERS, seconds(System.nanoTime() - seedStart));

            Path config = Files.writeString(work.resolve("provisioners.yaml"), providerConfig());
            Path kubeconfig = Files.writeString(work.resolve("kubeconfig"), kubeconfig(cluster.port()));
            Path log = work.resolve("operator.log");
            cluster.clearRequests();

            long started = System.nanoTime();
            // The jar's own logging configuration (INFO, key=value), not the quiet one of the tests.
            ProcessBuilder launch = new ProcessBuilder(javaBinary(), "-Xmx512m",
                    "-D" + LogfmtLogging.FORMAT_PROPERTY + "=logfmt",
                    "-cp", operatorClasspath(),
                    BootSourceCommand.class.getName(), "run", "--no-leader-election", "--metrics-port=0",
                    "--config=" + config, "--resync-period=20s", "--reconcile-threads=8")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            launch.environment().put("KUBECONFIG", kubeconfig.toString());
            Process operator = launch.start();
            try {
                awaitConverged(cluster, storageClasses, operator);
                double convergeSeconds = seconds(System.nanoTime() - started);
                List<FaultInjectingDispatcher.Request> converging = operatorRequests(cluster);
                cluster.clearRequests();
                Duration drain = awaitQuiet(cluster);
                List<FaultInjectingDispatcher.Request> draining = operatorRequests(cluster);

                cluster.clearRequests();
                Thread.sleep(steady.toMillis());
                List<FaultInjectingDispatcher.Request> steadyRequests = operatorRequests(cluster);
                long rssKib = residentKib(operator.pid());

                report(storageClasses, convergeSeconds, converging, draining, drain, steadyRequests, steady, rssKib, log);
            } finally {
                operator.destroy();
                if (!operator.waitFor(20, TimeUnit.SECONDS)) {
                    operator.destroyForcibly();
                }
            }
        }
    }

    private static void awaitConverged(MockCluster cluster, int storageClasses, Process operator) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!operator.isAlive()) {
                throw new IllegalStateException("the operator exited with " + operator.exitValue());
            }
            long converged = cluster.admin().resources(StorageProfile.class).list().getItems().stream()
                    .map(profile -> profile.getMetadata().getAnnotations())
                    .filter(annotations -> annotations != null
                            && annotations.containsKey(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES)
                            && annotations.containsKey(Keys.MINIMUM_PVC_SIZE))
                    .count();
            if (converged == storageClasses) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("profiles did not converge within 10 minutes");
    }

    /** Waits until the operator has written nothing for a few seconds (events queued during convergence drain). */
    private static Duration awaitQuiet(MockCluster cluster) throws InterruptedException {
        long start = System.nanoTime();
        int lastWrites = -1;
        int quietFor = 0;
        while (quietFor < 3) {
            Thread.sleep(1000);
            int writes = (int) count(operatorRequests(cluster), FaultInjectingDispatcher.Request::isWrite);
            quietFor = writes == lastWrites ? quietFor + 1 : 0;
            lastWrites = writes;
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static void report(int storageClasses, double convergeSeconds, List<FaultInjectingDispatcher.Request> converging,
                               List<FaultInjectingDispatcher.Request> draining, Duration drain,
                               List<FaultInjectingDispatcher.Request> steady, Duration steadyWindow, long rssKib, Path log) {
        long profilePatches = count(converging, r -> "PATCH".equals(r.method()) && r.concerns("storageprofiles"));
        long classCreates = count(converging, r -> "POST".equals(r.method()) && r.concerns("volumesnapshotclasses"));
        long events = count(converging, r -> "POST".equals(r.method()) && r.concerns("events"));
        long drainedEvents = count(draining, r -> "POST".equals(r.method()) && r.concerns("events"));
        long drainedOther = count(draining, r -> r.isWrite() && !r.concerns("events"));
        long reads = count(converging, r -> "GET".equals(r.method()));
        long steadyWrites = count(steady, FaultInjectingDispatcher.Request::isWrite);
        Map<String, Long> byKind = converging.stream().collect(Collectors.groupingBy(
                r -> r.method() + " " + collection(r.path()) + (r.isWatch() ? " (watch)" : ""), TreeMap::new, Collectors.counting()));

        System.out.println();
        System.out.println("| measure | result |");
        System.out.println("|---|---|");
        row("StorageClasses / StorageProfiles / drivers", storageClasses + " / " + storageClasses + " / " + DRIVERS);
        row("start to all profiles converged (incl. JVM start)", String.format(Locale.ROOT, "%.1f s", convergeSeconds));
        row("StorageProfile PATCHes per changed profile", String.format(Locale.ROOT, "%.3f (%d for %d)",
                (double) profilePatches / storageClasses, profilePatches, storageClasses));
        row("VolumeSnapshotClasses created", Long.toString(classCreates));
        row("Events created (while converging + queued ones sent after)", events + " + " + drainedEvents
                + String.format(Locale.ROOT, " (queue drained %.0f s after convergence)", drain.toMillis() / 1000.0));
        row("other writes after convergence", Long.toString(drainedOther));
        row("all requests while converging, per profile", String.format(Locale.ROOT, "%.2f (%d; %d GETs incl. lists and watches)",
                (double) converging.size() / storageClasses, converging.size(), reads));
        row("writes during " + steadyWindow.toSeconds() + " s of steady state (resync every 20 s)", Long.toString(steadyWrites));
        row("requests of any kind during steady state", Long.toString(steady.size()));
        row("operator resident memory (VmRSS) at the end", String.format(Locale.ROOT, "%.0f MiB", rssKib / 1024.0));
        System.out.println();
        System.out.println("requests while converging, by kind:");
        byKind.forEach((kind, n) -> System.out.println("  " + kind + ": " + n));
        System.out.println("operator log: " + log);
    }

    private static String clusterYaml(int storageClasses) {
        StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: List\nitems:\n");
        for (int d = 0; d < DRIVERS; d++) {
            boolean bootSourceClass = d % 2 == 0;
            yaml.append("""
                    - apiVersion: snapshot.storage.k8s.io/v1
                      kind: VolumeSnapshotClass
                      metadata:
                        name: %s
                      driver: %s
                      deletionPolicy: Delete
                      parameters:
                        snapshot-type: %s
                    """.formatted((bootSourceClass ? "images-" : "standard-") + d, driver(d), bootSourceClass ? "images" : "standard"));
        }
        for (int i = 0; i < storageClasses; i++) {
            String name = String.format(Locale.ROOT, "sc-%05d", i);
            yaml.append("""
                    - apiVersion: storage.k8s.io/v1
                      kind: StorageClass
                      metadata:
                        name: %1$s
                      provisioner: %2$s
                      parameters:
                        tier: t%3$d
                    - apiVersion: cdi.kubevirt.io/v1beta1
                      kind: StorageProfile
                      metadata:
                        name: %1$s
                      spec: {}
                      status:
                        provisioner: %2$s
                        storageClass: %1$s
                    """.formatted(name, driver(i % DRIVERS), i));
        }
        return yaml.toString();
    }

    /** The 50 benchmark drivers as provisioner facts: golden images RWO, images snapshots, 1Gi minimum. */
    private static String providerConfig() {
        StringBuilder yaml = new StringBuilder("provisioners:\n");
        for (int d = 0; d < DRIVERS; d++) {
            yaml.append("  ").append(driver(d)).append(":\n")
                    .append("    minimumPvcSize: 1Gi\n")
                    .append("    bootSource:\n")
                    .append("      readWriteOnce: true\n")
                    .append("      snapshotClassParameters:\n")
                    .append("        snapshot-type: images\n");
        }
        return yaml.toString();
    }

    private static String kubeconfig(int port) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: http://127.0.0.1:%d
                users:
                - name: bench
                  user:
                    token: bench
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    user: bench
                    namespace: bootsource
                current-context: mock
                """.formatted(port);
    }

    private static String driver(int index) {
        return String.format(Locale.ROOT, "bench-%02d.csi.example.com", index);
    }

    private static List<FaultInjectingDispatcher.Request> operatorRequests(MockCluster cluster) {
        return cluster.requests().stream().filter(r -> !r.userAgent().startsWith(ADMIN)).toList();
    }

    private static long count(List<FaultInjectingDispatcher.Request> requests, Predicate<FaultInjectingDispatcher.Request> matching) {
        return requests.stream().filter(matching).count();
    }

    private static String collection(String path) {
        String withoutQuery = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        for (String plural : List.of("storageprofiles", "storageclasses", "volumesnapshotclasses", "volumesnapshots",
                "dataimportcrons", "persistentvolumeclaims", "events", "leases")) {
            if (withoutQuery.contains("/" + plural)) {
                return plural;
            }
        }
        return withoutQuery;
    }

    private static long residentKib(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .map(line -> line.replaceAll("\\D", ""))
                .mapToLong(Long::parseLong)
                .findFirst()
                .orElse(-1);
    }

    /** This JVM's classpath without the mock server's second HTTP client, so the operator uses the JDK one as the jar does. */
    private static String operatorClasspath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !entry.contains("kubernetes-httpclient-vertx"))
                .collect(Collectors.joining(java.io.File.pathSeparator));
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void row(String measure, String result) {
        System.out.println("| " + measure + " | " + result + " |");
    }

    private OperatorBenchmark() {
    }
}
