package dev.bootsource.policy.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bootsource.cluster.ClusterView;
import dev.bootsource.cluster.KubernetesObjects;
import dev.bootsource.model.DataVolume;
import dev.bootsource.model.Keys;
import dev.bootsource.model.VolumeSnapshot;
import dev.bootsource.policy.BootSourcePolicy;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * DataImportCron enforcement at admission (spec §4): a pure function of the request and the cluster
 * state. Only CREATE of a DataVolume or VolumeSnapshot carrying the DataImportCron label is enforced;
 * everything is admitted, and an object is changed only where the §3 policy calls for it.
 */
public final class AdmissionPolicy {

    private static final String DATA_VOLUME_GROUP = HasMetadata.getGroup(DataVolume.class);
    private static final String DATA_VOLUME_KIND = HasMetadata.getKind(DataVolume.class);
    private static final String SNAPSHOT_GROUP = HasMetadata.getGroup(VolumeSnapshot.class);
    private static final String SNAPSHOT_KIND = HasMetadata.getKind(VolumeSnapshot.class);

    private final BootSourcePolicy policy;

    public AdmissionPolicy(BootSourcePolicy policy) {
        this.policy = policy;
    }

    public AdmissionDecision decide(ClusterView cluster, AdmissionRequest request) {
        if (!AdmissionRequest.CREATE.equals(request.operation())) {
            return new AdmissionDecision.Ignored(request.operation() + " is not enforced, only " + AdmissionRequest.CREATE);
        }
        boolean dataVolume = DATA_VOLUME_GROUP.equals(request.group()) && DATA_VOLUME_KIND.equals(request.kind());
        boolean snapshot = SNAPSHOT_GROUP.equals(request.group()) && SNAPSHOT_KIND.equals(request.kind());
        if (!dataVolume && !snapshot) {
            return new AdmissionDecision.Ignored("only DataVolumes and VolumeSnapshots are enforced, not "
                    + (request.group().isEmpty() ? "" : request.group() + "/") + request.kind());
        }
        if (!request.object().path("metadata").path("labels").has(Keys.DATA_IMPORT_CRON_LABEL)) {
            return new AdmissionDecision.Ignored("not made for a DataImportCron (no " + Keys.DATA_IMPORT_CRON_LABEL + " label)");
        }
        try {
            if (dataVolume) {
                return DataVolumeRule.decide(policy, cluster, bind(request.object(), DataVolume.class));
            }
            String namespace = request.namespace().isEmpty()
                    ? request.object().path("metadata").path("namespace").asText("")
                    : request.namespace();
            if (namespace.isEmpty()) {
                return new AdmissionDecision.Unresolved("the request names no namespace to find the source "
                        + "PersistentVolumeClaim in; the golden snapshot is left as it is");
            }
            return VolumeSnapshotRule.decide(policy, cluster, namespace, bind(request.object(), VolumeSnapshot.class));
        } catch (UnreadableObject e) {
            return new AdmissionDecision.Unresolved("cannot read the " + request.kind() + ": " + e.getMessage()
                    + "; it is left as it is");
        }
    }

    private static <T> T bind(JsonNode object, Class<T> type) {
        try {
            return KubernetesObjects.MAPPER.treeToValue(object, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String message = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            throw new UnreadableObject(message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(""));
        }
    }

    /** The object does not have the shape of its kind; the decision says so instead of failing. */
    private static final class UnreadableObject extends RuntimeException {
        UnreadableObject(String message) {
            super(message, null, false, false);
        }
    }
}
