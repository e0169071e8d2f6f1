package dev.bootsource.operator;

import dev.bootsource.model.VolumeSnapshot;
import io.fabric8.kubernetes.api.model.Event;

import java.nio.file.Path;
import java.util.List;

/**
 * The cluster the golden-snapshot tests run on: the GCP example (StorageClass hyperdisk, whose boot-source
 * class is hyperdisk-images) with DataImportCrons and their snapshots in one namespace, written as YAML.
 */
final class GoldenSnapshotScenario {

    static final Path GCP_CLUSTER = Path.of("src/test/resources/operator/gcp-cluster.yaml");
    static final String NS = "os-images";
    static final String FINALIZER = "snapshot.storage.kubernetes.io/volumesnapshot-bound-protection";

    private GoldenSnapshotScenario() {
    }

    /** The operator's DELETEs of VolumeSnapshots. */
    static List<FaultInjectingDispatcher.Request> deletes(MockCluster cluster) {
        return cluster.operatorRequests().stream()
                .filter(r -> "DELETE".equals(r.method()) && r.concerns("volumesnapshots")).toList();
    }

    static VolumeSnapshot snapshot(MockCluster cluster, String name) {
        return cluster.admin().resources(VolumeSnapshot.class).inNamespace(NS).withName(name).get();
    }

    /** Events of this reason in the crons' namespace. */
    static List<Event> events(MockCluster cluster, String reason) {
        return cluster.admin().v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason()))
                .toList();
    }

    /** A DataImportCron whose golden images go to StorageClass hyperdisk (expected class hyperdisk-images). */
    static String cron(String name, boolean upToDate) {
        return """
                ---
                apiVersion: cdi.kubevirt.io/v1beta1
                kind: DataImportCron
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  managedDataSource: %s
                  schedule: "0 */12 * * *"
                  template:
                    spec:
                      storage:
                        storageClassName: hyperdisk
                status:
                  conditions:
                  - type: UpToDate
                    status: "%s"
                """.formatted(name, NS, name, upToDate ? "True" : "False");
    }

    /**
     * A ready VolumeSnapshot; {@code cron} null leaves it without the DataImportCron label, and
     * {@code finalizer} holds its deletion in flight as the external snapshotter does.
     */
    static String snapshot(String name, String cron, String snapshotClass, boolean finalizer) {
        return """
                ---
                apiVersion: snapshot.storage.k8s.io/v1
                kind: VolumeSnapshot
                metadata:
                  name: %s
                  namespace: %s
                %s%sspec:
                  volumeSnapshotClassName: %s
                  source:
                    persistentVolumeClaimName: %s
                status:
                  readyToUse: true
                """.formatted(name, NS,
                cron == null ? "" : "  labels:\n    cdi.kubevirt.io/dataImportCron: " + cron + "\n",
                finalizer ? "  finalizers:\n  - " + FINALIZER + "\n" : "",
                snapshotClass, name);
    }
}
