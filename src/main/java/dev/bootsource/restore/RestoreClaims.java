package dev.bootsource.restore;

import dev.bootsource.model.Keys;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TypedObjectReferenceBuilder;

import java.util.ArrayList;
import java.util.List;

/** The PVCs a restore test creates: N restores of one golden image, labelled with the run. A pure function. */
public final class RestoreClaims {

    /** Label on every PVC of a run; its value is the run id. */
    public static final String RUN_LABEL = "bootsource.dev/restore-test";
    /** Annotation naming the golden image a PVC restores. */
    public static final String IMAGE_ANNOTATION = "bootsource.dev/restore-test-image";
    /** The annotation the scheduler sets on a WaitForFirstConsumer PVC; the provisioner starts on it. */
    public static final String SELECTED_NODE_ANNOTATION = "volume.kubernetes.io/selected-node";

    private RestoreClaims() {
    }

    public static String name(String runId, int index, int count) {
        int width = String.valueOf(count).length();
        return "restore-test-" + runId + "-" + String.format("%0" + Math.max(2, width) + "d", index);
    }

    public static List<PersistentVolumeClaim> build(GoldenImage image, ClaimShape shape, String namespace, String runId, int count) {
        List<PersistentVolumeClaim> claims = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            ObjectMetaBuilder metadata = new ObjectMetaBuilder()
                    .withName(name(runId, i, count))
                    .withNamespace(namespace)
                    .addToLabels(Keys.MANAGED_BY_LABEL, Keys.MANAGED_BY_VALUE)
                    .addToLabels(RUN_LABEL, runId)
                    .addToAnnotations(IMAGE_ANNOTATION, image.describe());
            shape.selectedNode().ifPresent(node -> metadata.addToAnnotations(SELECTED_NODE_ANNOTATION, node));
            TypedObjectReferenceBuilder source = new TypedObjectReferenceBuilder()
                    .withApiGroup(image.kind().apiGroup())
                    .withKind(image.kind().kind())
                    .withName(image.name());
            if (!image.namespace().equals(namespace)) {
                source.withNamespace(image.namespace());
            }
            claims.add(new PersistentVolumeClaimBuilder()
                    .withMetadata(metadata.build())
                    .withNewSpec()
                    .withStorageClassName(shape.storageClass().orElse(null))
                    .withAccessModes(shape.accessModes())
                    .withVolumeMode(shape.volumeMode().orElse(null))
                    .withNewResources().addToRequests("storage", new Quantity(shape.size())).endResources()
                    .withDataSourceRef(source.build())
                    .endSpec()
                    .build());
        }
        return claims;
    }
}
