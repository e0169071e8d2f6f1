package dev.bootsource.operator;

import dev.bootsource.policy.AnnotationChange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
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
    private final Counter goldenSnapshotsDeleted;

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
        goldenSnapshotsDeleted = Counter.builder("bootsource.golden.snapshots.deleted")
                .description("Stale golden VolumeSnapshots BootSource deleted so CDI re-imports them onto the right class")
                .register(registry);
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

    void deletedGoldenSnapshot() {
        goldenSnapshotsDeleted.increment();
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
