package dev.bootsource.restore;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimCondition;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Restores one golden image N times at once and watches the PVCs bind (step 7.3 of the manual GCP workaround: more than 6
 * restores an hour from one golden image). Creates the PVCs in parallel, reports how many are Bound as time
 * goes by, stops when all are Bound or at the timeout, tells why the others did not bind, and deletes what
 * it created unless asked to keep it, also when interrupted. It never touches any other object.
 *
 * <p>One runner per run; {@link #abort()} (what Ctrl-C calls) may come from any thread.
 */
public final class RestoreTestRunner {

    private static final int MAX_PARALLEL_CREATES = 8;
    private static final int EVENTS_PER_CLAIM = 5;
    private static final Duration ABORT_GRACE = Duration.ofSeconds(10);
    private static final String BOUND = "Bound";

    private final KubernetesClient client;
    private final PrintWriter out;
    private final Clock clock;
    private final boolean shutdownHook;

    private final AtomicBoolean aborted = new AtomicBoolean();
    private final CountDownLatch wake = new CountDownLatch(1);
    private final Set<String> requested = ConcurrentHashMap.newKeySet();
    private volatile ExecutorService creators;
    private volatile String namespace;
    private volatile boolean keep;
    private RestoreTestResult.Cleanup cleanup;

    private java.util.function.Predicate<String> confirmation = what -> true;

    /** Asked, with what will be created (count, size, class, namespace), before anything is; false creates nothing. */
    public RestoreTestRunner confirmWith(java.util.function.Predicate<String> confirmation) {
        this.confirmation = confirmation;
        return this;
    }

    /** Nothing was created: a dry run, or the answer was no. */
    public static final class NotCreated extends RuntimeException {
        public NotCreated(String what) {
            super(what);
        }
    }

    /**
     * @param client       the cluster
     * @param out          where to say what is being done (one line per step)
     * @param clock        the time source
     * @param shutdownHook delete what was created when the JVM is stopped (Ctrl-C) during the run
     */
    public RestoreTestRunner(KubernetesClient client, PrintWriter out, Clock clock, boolean shutdownHook) {
        this.client = client;
        this.out = out;
        this.clock = clock;
        this.shutdownHook = shutdownHook;
    }

    /**
     * Finds the image ({@link GoldenImageResolver}) and shapes the PVCs ({@link ClaimShapeResolver}), says what it
     * will create and asks, then creates, watches and cleans up.
     *
     * @throws IllegalArgumentException when the image, class or size cannot be used (the message says which)
     */
    public RestoreTestResult run(RestoreTestSettings settings, RestoreProgress progress) {
        GoldenImage image = new GoldenImageResolver(client).resolve(settings.image());
        String targetNamespace = settings.namespace().orElse(image.namespace());
        ClaimShapeChoice.Chosen chosen = new ClaimShapeResolver(client).resolve(settings, image);
        ClaimShape shape = chosen.shape();
        List<String> notes = new ArrayList<>(chosen.notes());
        String runId = settings.runId().orElseGet(RestoreTestRunner::newRunId);
        this.namespace = targetNamespace;
        this.keep = settings.keep();
        notes.addAll(ClaimShapeChoice.imageNotes(image, targetNamespace));

        say("Golden image: " + describe(image));
        say("Restoring " + settings.count() + " PVC(s) into namespace " + targetNamespace + ": " + describe(shape));
        say("Run " + runId + ": its PVCs carry the label " + RestoreClaims.RUN_LABEL + "=" + runId
                + (settings.keep() ? "; they are kept afterwards (--keep)" : "; they are deleted afterwards"));
        notes.forEach(note -> say("Note: " + note));

        String what = settings.count() + " PVC(s) of " + shape.size() + " each (" + settings.count() + " x " + shape.size()
                + ") on StorageClass " + shape.storageClass().orElse("(the cluster default)") + " in namespace " + targetNamespace;
        if (!confirmation.test(what)) {
            this.namespace = null;
            throw new NotCreated(what);
        }
        List<PersistentVolumeClaim> claims = RestoreClaims.build(image, shape, targetNamespace, runId, settings.count());
        Thread hook = new Thread(this::abort, "bootsource-restore-test-cleanup");
        if (shutdownHook) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        try {
            return createAndWatch(settings, progress, notes, image, shape, runId, claims);
        } finally {
            if (shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or has run: it cleans up
                }
            }
        }
    }

    /** Stop waiting, and delete what was created unless the run keeps it. Safe to call from any thread, more than once. */
    public void abort() {
        if (!aborted.compareAndSet(false, true)) {
            return;
        }
        wake.countDown();
        ExecutorService running = creators;
        if (running != null) {
            running.shutdown();
            try {
                running.awaitTermination(ABORT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (namespace != null) {
            RestoreTestResult.Cleanup done = cleanup();
            say("Interrupted: " + describe(done));
            out.flush();
        }
    }

    private RestoreTestResult createAndWatch(
            RestoreTestSettings settings,
            RestoreProgress progress,
            List<String> notes,
            GoldenImage image,
            ClaimShape shape,
            String runId,
            List<PersistentVolumeClaim> claims) {
        int total = claims.size();
        Map<String, Instant> requestedAt = new ConcurrentHashMap<>();
        Map<String, String> createErrors = new ConcurrentHashMap<>();
        Map<String, Instant> boundAt = new HashMap<>();
        Map<String, PersistentVolumeClaim> lastSeen = new HashMap<>();
        AtomicInteger threads = new AtomicInteger();

        progress.started(total);
        Instant start = clock.instant();
        Instant deadline = start.plus(settings.timeout());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(total, MAX_PARALLEL_CREATES), runnable -> {
            Thread thread = new Thread(runnable, "restore-test-create-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        creators = pool;
        for (PersistentVolumeClaim claim : claims) {
            String name = claim.getMetadata().getName();
            pool.execute(() -> {
                if (aborted.get()) {
                    createErrors.put(name, "not created: the run was interrupted");
                    return;
                }
                requested.add(name);
                requestedAt.put(name, clock.instant());
                try {
                    client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace()).resource(claim).create();
                } catch (KubernetesClientException e) {
                    createErrors.put(name, ApiErrors.message(e));
                }
            });
        }
        pool.shutdown();

        boolean timedOut = false;
        String lastListError = null;
        while (true) {
            try {
                for (PersistentVolumeClaim seen : client.persistentVolumeClaims().inNamespace(namespace)
                        .withLabel(RestoreClaims.RUN_LABEL, runId).list().getItems()) {
                    String name = seen.getMetadata().getName();
                    lastSeen.put(name, seen);
                    if (BOUND.equals(phase(seen)) && !boundAt.containsKey(name)) {
                        boundAt.put(name, clock.instant());
                    }
                }
                lastListError = null;
            } catch (KubernetesClientException e) {
                if (!Objects.equals(lastListError, ApiErrors.message(e))) {
                    lastListError = ApiErrors.message(e);
                    say("Cannot list the PVCs, trying again: " + lastListError);
                }
            }
            progress.update(boundAt.size(), createErrors.size(), total);
            if (pool.isTerminated() && boundAt.size() + createErrors.size() >= total) {
                break;
            }
            if (aborted.get()) {
                break;
            }
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                timedOut = true;
                break;
            }
            Duration wait = Duration.between(now, deadline);
            try {
                wake.await(Math.max(1, Math.min(settings.pollInterval().toMillis(), wait.toMillis())), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                aborted.set(true);
                break;
            }
        }
        Duration elapsed = Duration.between(start, clock.instant());
        progress.close();

        Set<String> unbound = new TreeSet<>();
        claims.forEach(claim -> unbound.add(claim.getMetadata().getName()));
        unbound.removeAll(boundAt.keySet());
        Map<String, List<String>> events = unbound.isEmpty() ? Map.of() : eventsOf(unbound);

        List<ClaimOutcome> outcomes = new ArrayList<>();
        for (PersistentVolumeClaim claim : claims) {
            String name = claim.getMetadata().getName();
            Optional<Duration> toBound = Optional.ofNullable(boundAt.get(name))
                    .map(bound -> Duration.between(requestedAt.getOrDefault(name, start), bound));
            PersistentVolumeClaim seen = lastSeen.get(name);
            String phase = seen != null ? Optional.ofNullable(phase(seen)).orElse("Pending")
                    : createErrors.containsKey(name) ? ClaimOutcome.NOT_CREATED : "Pending";
            outcomes.add(new ClaimOutcome(name, phase, toBound, Optional.ofNullable(createErrors.get(name)),
                    toBound.isPresent() ? List.of() : conditionsOf(seen),
                    toBound.isPresent() ? List.of() : events.getOrDefault(name, List.of())));
        }
        RestoreTestResult.Cleanup done = aborted.get() ? waitForAbortCleanup() : cleanup();
        return new RestoreTestResult(runId, namespace, image, shape, outcomes, elapsed, timedOut, aborted.get(), done, notes);
    }

    private RestoreTestResult.Cleanup waitForAbortCleanup() {
        ExecutorService running = creators;
        if (running != null) {
            try {
                running.awaitTermination(ABORT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return cleanup();
    }

    /** Deletes every PVC whose creation was requested, once; later calls return the first outcome. */
    private synchronized RestoreTestResult.Cleanup cleanup() {
        if (cleanup != null) {
            return cleanup;
        }
        if (keep) {
            cleanup = new RestoreTestResult.Cleanup(true, List.of(), List.of());
            return cleanup;
        }
        List<String> deleted = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String name : new TreeSet<>(requested)) {
            try {
                List<StatusDetails> details = client.persistentVolumeClaims().inNamespace(namespace).withName(name).delete();
                if (!details.isEmpty()) {
                    deleted.add(name);
                }
            } catch (KubernetesClientException e) {
                problems.add(name + ": " + ApiErrors.message(e));
            }
        }
        cleanup = new RestoreTestResult.Cleanup(false, deleted, problems);
        return cleanup;
    }

    // ---- why a PVC did not bind ----------------------------------------------------------------------------

    private Map<String, List<String>> eventsOf(Collection<String> names) {
        Map<String, List<Event>> byClaim = new HashMap<>();
        try {
            for (Event event : client.v1().events().inNamespace(namespace).list().getItems()) {
                var involved = event.getInvolvedObject();
                if (involved != null && "PersistentVolumeClaim".equals(involved.getKind()) && names.contains(involved.getName())) {
                    byClaim.computeIfAbsent(involved.getName(), name -> new ArrayList<>()).add(event);
                }
            }
        } catch (KubernetesClientException e) {
            say("Cannot read the events of the PVCs: " + ApiErrors.message(e));
            return Map.of();
        }
        Map<String, List<String>> described = new HashMap<>();
        byClaim.forEach((name, events) -> described.put(name, events.stream()
                .sorted(Comparator.comparing(RestoreTestRunner::eventTime))
                .skip(Math.max(0, events.size() - EVENTS_PER_CLAIM))
                .map(RestoreTestRunner::describe)
                .toList()));
        return described;
    }

    private static String eventTime(Event event) {
        return Objects.toString(event.getLastTimestamp(), Objects.toString(event.getEventTime() == null ? null
                : event.getEventTime().getTime(), ""));
    }

    private static String describe(Event event) {
        String count = event.getCount() != null && event.getCount() > 1 ? " (x" + event.getCount() + ")" : "";
        return Objects.toString(event.getType(), "Normal") + " " + Objects.toString(event.getReason(), "") + ": "
                + Objects.toString(event.getMessage(), "").strip() + count;
    }

    private static List<String> conditionsOf(PersistentVolumeClaim claim) {
        if (claim == null || claim.getStatus() == null || claim.getStatus().getConditions() == null) {
            return List.of();
        }
        List<String> conditions = new ArrayList<>();
        for (PersistentVolumeClaimCondition condition : claim.getStatus().getConditions()) {
            conditions.add(condition.getType() + "=" + condition.getStatus()
                    + (condition.getReason() == null ? "" : " " + condition.getReason())
                    + (condition.getMessage() == null ? "" : ": " + condition.getMessage()));
        }
        return conditions;
    }

    // ---- words -------------------------------------------------------------------------------------------

    private void say(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    private static String describe(GoldenImage image) {
        StringBuilder text = new StringBuilder();
        image.via().forEach(step -> text.append(step).append(" -> "));
        text.append(image.describe());
        List<String> facts = new ArrayList<>();
        image.snapshotClass().ifPresent(vsc -> facts.add("class " + vsc));
        image.restoreSize().ifPresent(size -> facts.add((image.kind() == GoldenImage.Kind.VOLUME_SNAPSHOT
                ? "restore size " : "size ") + size));
        facts.add(image.ready() ? "ready" : "not ready");
        return text.append(" (").append(String.join(", ", facts)).append(')').toString();
    }

    private static String describe(ClaimShape shape) {
        return "StorageClass " + shape.storageClass().orElse("(cluster default)")
                + ", accessModes " + shape.accessModes()
                + ", volumeMode " + shape.volumeMode().orElse("(default)")
                + ", size " + shape.size()
                + shape.selectedNode().map(node -> ", provisioned for node " + node + " (the class waits for the first consumer)")
                .orElse("");
    }

    static String describe(RestoreTestResult.Cleanup cleanup) {
        if (cleanup.kept()) {
            return "kept the PVCs (--keep)";
        }
        return "deleted " + cleanup.deleted().size() + " PVC(s)"
                + (cleanup.problems().isEmpty() ? "" : "; could not delete " + String.join("; ", cleanup.problems()));
    }

    private static String phase(PersistentVolumeClaim claim) {
        return claim.getStatus() == null ? null : claim.getStatus().getPhase();
    }

    private static String newRunId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom random = new SecureRandom();
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }
}
