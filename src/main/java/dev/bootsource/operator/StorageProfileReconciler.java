package dev.bootsource.operator;

import dev.bootsource.model.StorageProfile;
import dev.bootsource.policy.AnnotationChange;
import dev.bootsource.policy.BootSourcePolicy;
import dev.bootsource.policy.ProfileDecision;
import dev.bootsource.policy.SnapshotClassToCreate;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps one StorageProfile's BootSource annotations as the policy decides (spec §3).
 *
 * <p>Each reconcile decides from the informer caches, creates the boot-source snapshot class first when
 * the decision calls for one (so a profile never points at a class that does not exist yet), then sends
 * the decision's annotation patch, and only when it is not empty. At steady state a reconcile writes
 * nothing. Every change and every new warning becomes a Kubernetes Event and a log line.
 */
@ControllerConfiguration(name = StorageProfileReconciler.NAME, generationAwareEventProcessing = false)
public final class StorageProfileReconciler implements Reconciler<StorageProfile> {

    static final String NAME = "bootsource-storageprofiles";
    /** Delay before deciding again after a 409: long enough for the watch to deliver the newer profile. */
    static final Duration AFTER_CONFLICT = Duration.ofMillis(300);
    private static final Logger log = LoggerFactory.getLogger(StorageProfileReconciler.class);

    private final InformerClusterView cluster;
    private final BootSourcePolicy policy;
    private final ClusterWriter writer;
    private final ProfileEvents events;
    private final OperatorMetrics metrics;

    StorageProfileReconciler(InformerClusterView cluster, BootSourcePolicy policy, ClusterWriter writer,
                             ProfileEvents events, OperatorMetrics metrics) {
        this.cluster = cluster;
        this.policy = policy;
        this.writer = writer;
        this.events = events;
        this.metrics = metrics;
    }

    @Override
    public List<EventSource<?, StorageProfile>> prepareEventSources(EventSourceContext<StorageProfile> context) {
        return List.of(new PolicyInputEventSource(cluster, context.getPrimaryCache()));
    }

    @Override
    public UpdateControl<StorageProfile> reconcile(StorageProfile profile, Context<StorageProfile> context) {
        long started = System.nanoTime();
        String name = profile.getMetadata().getName();
        OperatorMetrics.Outcome outcome = OperatorMetrics.Outcome.ERROR;
        try {
            if (!cluster.policyInputsSynced()) {
                // The controller starts while the inputs are listed; once they are, every profile is reconciled.
                outcome = OperatorMetrics.Outcome.WAITING;
                return UpdateControl.noUpdate();
            }
            Optional<ProfileDecision> decided = policy.decide(new ReconcileView(cluster, profile), name);
            if (decided.isEmpty()) {
                log.atDebug().addKeyValue("profile", name).log("no StorageClass of this name; nothing to decide");
                outcome = OperatorMetrics.Outcome.NO_STORAGE_CLASS;
                return UpdateControl.noUpdate();
            }
            ProfileDecision decision = decided.get();
            if (!ensureSnapshotClass(profile, decision)) {
                log.atInfo().addKeyValue("profile", name)
                        .log("a matching snapshot class exists that the cache does not show yet; deciding again shortly");
                outcome = OperatorMetrics.Outcome.CONFLICT;
                return UpdateControl.<StorageProfile>noUpdate().rescheduleAfter(AFTER_CONFLICT);
            }
            List<String> newWarnings = events.warned(profile, decision.warnings());
            metrics.warned(newWarnings.size());
            newWarnings.forEach(warning -> log.atWarn().addKeyValue("profile", name).log(warning));
            if (!decision.needsWrite()) {
                outcome = OperatorMetrics.Outcome.UNCHANGED;
                return UpdateControl.noUpdate();
            }
            Map<String, String> patch = decision.annotationPatch();
            StorageProfile written;
            try {
                written = writer.patchAnnotations(profile, patch);
            } catch (KubernetesClientException e) {
                if (e.getCode() != ClusterWriter.CONFLICT) {
                    throw e;
                }
                log.atInfo().addKeyValue("profile", name)
                        .log("profile changed while deciding; deciding again on the newer version");
                outcome = OperatorMetrics.Outcome.CONFLICT;
                return UpdateControl.<StorageProfile>noUpdate().rescheduleAfter(AFTER_CONFLICT);
            }
            context.eventSourceRetriever().getControllerEventSource()
                    .handleRecentResourceUpdate(ResourceID.fromResource(profile), written, profile);
            metrics.patched();
            report(written, decision);
            outcome = OperatorMetrics.Outcome.CHANGED;
            return UpdateControl.noUpdate();
        } finally {
            if (outcome == OperatorMetrics.Outcome.ERROR) {
                metrics.failed("reconcile");
            }
            metrics.reconciled(outcome, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private void report(StorageProfile written, ProfileDecision decision) {
        for (AnnotationChange change : decision.changes()) {
            metrics.changed(change);
            events.changed(written, change);
            log.atInfo()
                    .addKeyValue("profile", written.getMetadata().getName())
                    .addKeyValue("op", change.op().label())
                    .addKeyValue("key", change.key())
                    .addKeyValue("value", change.value())
                    .log(change.reason());
        }
    }

    /**
     * Creates the snapshot class the decision needs when it does not exist yet: its own, or (rarely) the one
     * it shares with an earlier StorageClass of its driver that has no StorageProfile of its own yet.
     *
     * <p>The cache may not show yet a class another reconcile has just created; so before creating, the API
     * server is asked once whether a matching class exists. If one does, nothing is created and the
     * decision, made on a stale cache, is not applied.
     *
     * @return false when the decision must be made again on a fresher cache
     */
    private boolean ensureSnapshotClass(StorageProfile profile, ProfileDecision decision) {
        Optional<SnapshotClassToCreate> toCreate = decision.snapshotClassNeeded();
        if (toCreate.isEmpty() || snapshotClassExists(toCreate.get().name())) {
            return true;
        }
        SnapshotClassToCreate snapshotClass = toCreate.get();
        if (writer.matchingSnapshotClassServed(snapshotClass)) {
            return false;
        }
        if (writer.createSnapshotClass(snapshotClass.toVolumeSnapshotClass())) {
            metrics.createdSnapshotClass();
            String reason = "golden images of StorageClass " + snapshotClass.forStorageClass()
                    + " need a snapshot class with " + snapshotClass.parameters() + " for driver " + snapshotClass.driver();
            events.createdSnapshotClass(profile, snapshotClass.name(), reason);
            log.atInfo()
                    .addKeyValue("profile", profile.getMetadata().getName())
                    .addKeyValue("snapshotClass", snapshotClass.name())
                    .addKeyValue("driver", snapshotClass.driver())
                    .log("created boot-source VolumeSnapshotClass");
        }
        return true;
    }

    private boolean snapshotClassExists(String name) {
        return cluster.volumeSnapshotClass(name).isPresent();
    }
}
