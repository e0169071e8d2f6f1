package dev.bootsource.operator;

import dev.bootsource.policy.AnnotationChange;
import dev.bootsource.policy.GoldenSnapshotDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * BootSource's Prometheus metrics, all prefixed {@code bootsource_}. Names and labels are listed in
 * docs/operator.md; keep the two in step.
 */
final class OperatorMetrics {

    /** How a reconcile ended. */
    enum Outcome {
        /** The profile already carried the right annotations: nothing written. */
        UNCHANGED,
        /** BootSource wrote the profile (and maybe created a snapshot class). */
        CHANGED,
        /** The profile changed while deciding; decided again shortly. */
        CONFLICT,
        /** No StorageClass of the profile's name: nothing to decide. */
        NO_STORAGE_CLASS,
        /** The policy inputs are still being listed: decided once they are all cached. */
        WAITING,
        /** The reconcile failed; retried with back-off. */
        ERROR;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final Timer reconcileDuration;
    private final Counter profilePatches;
    private final Counter snapshotClassesCreated;
    private final Counter warnings;
    private final Counter goldenSnapshotRecreations;
    private final Map<GoldenSnapshotDecision.BlockReason, AtomicInteger> blockedNow = new EnumMap<>(GoldenSnapshotDecision.BlockReason.class);

    OperatorMetrics(MeterRegistry registry) {
        this.registry = registry;
        reconcileDuration = Timer.builder("bootsource.reconcile.duration")
                .description("Time to decide and apply one StorageProfile reconcile")
                .publishPercentileHistogram()
                .register(registry);
        profilePatches = Counter.builder("bootsource.profile.patches")
                .description("Annotation merge patches sent to StorageProfiles")
                .register(registry);
        snapshotClassesCreated = Counter.builder("bootsource.created.snapshot.classes")
                .description("Boot-source VolumeSnapshotClasses BootSource created")
                .register(registry);
        warnings = Counter.builder("bootsource.warnings")
                .description("New policy warnings on StorageProfiles (each distinct warning counted once while it lasts)")
                .register(registry);
        goldenSnapshotRecreations = Counter.builder("bootsource.golden.snapshot.recreations")
                .description("Stale golden VolumeSnapshots BootSource deleted so CDI re-imports them onto the expected class")
                .register(registry);
        for (GoldenSnapshotDecision.BlockReason reason : GoldenSnapshotDecision.BlockReason.values()) {
            AtomicInteger count = new AtomicInteger();
            blockedNow.put(reason, count);
            Gauge.builder("bootsource.golden.snapshots.blocked", count, AtomicInteger::get)
                    .description("Stale golden snapshots held back now, by the safeguard that holds them (leader only)")
                    .tag("reason", reason.label())
                    .register(registry);
            goldenSnapshotBlocks(reason);
        }
        for (Outcome outcome : Outcome.values()) {
            reconciles(outcome);
        }
    }

    MeterRegistry registry() {
        return registry;
    }

    void reconciled(Outcome outcome, Duration took) {
        reconciles(outcome).increment();
        reconcileDuration.record(took);
    }

    void changed(AnnotationChange change) {
        Counter.builder("bootsource.annotation.changes")
                .description("StorageProfile annotations BootSource added, replaced or removed")
                .tag("op", change.op().label())
                .tag("key", change.key())
                .register(registry)
                .increment();
    }

    void patched() {
        profilePatches.increment();
    }

    void createdSnapshotClass() {
        snapshotClassesCreated.increment();
    }

    void warned(int newWarnings) {
        warnings.increment(newWarnings);
    }

    void recreatedGoldenSnapshot() {
        goldenSnapshotRecreations.increment();
    }

    /** The stale golden snapshots held back now, by reason; reasons not named count zero. */
    void goldenSnapshotsBlocked(Map<GoldenSnapshotDecision.BlockReason, Integer> counts) {
        blockedNow.forEach((reason, count) -> count.set(counts.getOrDefault(reason, 0)));
    }

    /** A stale golden snapshot newly held back (counted once per snapshot and reason). */
    void goldenSnapshotBlocked(GoldenSnapshotDecision.BlockReason reason) {
        goldenSnapshotBlocks(reason).increment();
    }

    private Counter goldenSnapshotBlocks(GoldenSnapshotDecision.BlockReason reason) {
        return Counter.builder("bootsource.golden.snapshot.blocks")
                .description("Stale golden snapshots newly held back, by the safeguard that held them")
                .tag("reason", reason.label())
                .register(registry);
    }

    void count(String name, String description, java.util.function.IntSupplier value) {
        Gauge.builder(name, () -> value.getAsInt()).description(description).register(registry);
    }

    /** @param operation what failed: reconcile, event, golden-snapshot */
    void failed(String operation) {
        Counter.builder("bootsource.errors")
                .description("Failed operations; reconciles are retried with back-off")
                .tag("operation", operation)
                .register(registry)
                .increment();
    }

    void gauge(String name, String description, BooleanSupplier state) {
        Gauge.builder(name, () -> state.getAsBoolean() ? 1 : 0).description(description).register(registry);
    }

    void resourceGauge(String api, BooleanSupplier synced) {
        Gauge.builder("bootsource.api.watched", () -> synced.getAsBoolean() ? 1 : 0)
                .description("1 while BootSource has a synced cache of this kind, 0 while it is missing, forbidden or starting")
                .tag("resource", api)
                .register(registry);
    }

    private Counter reconciles(Outcome outcome) {
        return Counter.builder("bootsource.reconciles")
                .description("StorageProfile reconciles by outcome")
                .tag("outcome", outcome.label())
                .register(registry);
    }
}
