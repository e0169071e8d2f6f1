package dev.bootsource.operator;

import dev.bootsource.model.Keys;
import dev.bootsource.model.StorageProfile;
import dev.bootsource.model.VolumeSnapshotClass;
import io.fabric8.kubernetes.api.model.Event;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The operator against a live (mock) API server: what it writes, and what it leaves alone (spec §3). */
class StorageProfileReconcileTest extends OperatorTestSupport {

    private static final Path GCP_CLUSTER = Path.of("src/test/resources/operator/gcp-cluster.yaml");

    @BeforeEach
    void installCdiAndSnapshots() {
        cluster.installCdi();
        cluster.installSnapshotCrds();
    }

    @Test
    void everyProfileIsAnnotatedWithOneWriteAndTheSharedSnapshotClassIsCreatedOnce() {
        cluster.createAll(GCP_CLUSTER);
        BootSourceOperator operator = startOperator(testSettings().withResyncPeriod(Duration.ofSeconds(1)), policy());

        awaitConverged();
        assertThat(cluster.annotations("hyperdisk")).containsEntry(Keys.MINIMUM_PVC_SIZE, "4Gi")
                .containsEntry(Keys.USE_RWO_FOR_BOOT_SOURCES, "true")
                .containsEntry(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES, "hyperdisk-images");
        assertThat(cluster.annotations("standard")).containsEntry(Keys.USE_RWO_FOR_BOOT_SOURCES, "true")
                .containsEntry(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES, "hyperdisk-images");
        assertThat(cluster.annotations("hyperdisk-ha")).containsEntry(Keys.USE_RWO_FOR_BOOT_SOURCES, "true")
                .doesNotContainKey(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES);
        assertThat(cluster.annotations("ceph")).isEmpty();
        assertThat(cluster.profile("ceph").getSpec().getAdditionalProperties()).containsEntry("cloneStrategy", "csi-clone");

        List<VolumeSnapshotClass> created = cluster.snapshotClassesCreatedByBootSource();
        assertThat(created).singleElement().satisfies(vsc -> {
            assertThat(vsc.getMetadata().getName()).isEqualTo("hyperdisk-images");
            assertThat(vsc.getDriver()).isEqualTo("pd.csi.storage.gke.io");
            assertThat(vsc.getParameters()).isEqualTo(Map.of("snapshot-type", "images"));
            assertThat(vsc.getDeletionPolicy()).isEqualTo("Delete");
        });
        assertThat(patchesTo("hyperdisk")).hasSize(1);
        assertThat(patchesTo("standard")).hasSize(1);
        assertThat(patchesTo("hyperdisk-ha")).hasSize(1);
        assertThat(patchesTo("ceph")).isEmpty();
        assertThat(patchesTo("hyperdisk").get(0).body()).doesNotContain("spec").doesNotContain("status");
        assertThat(cluster.operatorWrites("volumesnapshotclasses")).hasSize(1);

        // Steady state, with a resync every second: nothing more is written, not even events.
        cluster.clearRequests();
        sleep(Duration.ofSeconds(3));
        assertThat(cluster.operatorRequests()).filteredOn(FaultInjectingDispatcher.Request::isWrite).isEmpty();

        assertThat(get(operator, "/healthz").statusCode()).isEqualTo(200);
        assertThat(get(operator, "/readyz").body()).contains("controller: reconciling");
        assertThat(get(operator, "/metrics").body())
                .contains("bootsource_profile_patches_total 3.0")
                .contains("bootsource_created_snapshot_classes_total 1.0")
                .contains("bootsource_reconciles_total{outcome=\"changed\"} 3.0")
                .contains("bootsource_annotation_changes_total{key=\"cdi.kubevirt.io/useReadWriteOnceForBootSources\",op=\"add\"} 3.0")
                .contains("bootsource_reconcile_duration_seconds_count")
                .contains("bootsource_leader 1.0")
                .contains("bootsource_api_watched{resource=\"storageprofiles.cdi.kubevirt.io/v1beta1\"} 1.0");
    }

    @Test
    void theControllerStartsWhileAnInputIsStillListedAndDecidesOnceItIsCached() {
        cluster.createAll(GCP_CLUSTER);
        // The first lists of VolumeSnapshotClasses fail: the informer keeps retrying while the controller runs.
        cluster.faults().fail(request -> !request.isWatch() && request.concerns("volumesnapshotclasses")
                && "GET".equals(request.method()), 2, 500);
        BootSourceOperator operator = startOperator();

        await().atMost(CONVERGE).until(() -> get(operator, "/metrics").body()
                .contains("bootsource_reconciles_total{outcome=\"waiting\"}"));
        assertThat(cluster.operatorWrites("storageprofiles")).isEmpty();

        awaitConverged();
        assertThat(cluster.annotations("standard")).containsEntry(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES, "hyperdisk-images");
        assertThat(patchesTo("standard")).hasSize(1);
        assertThat(get(operator, "/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void aUserEditOfAValueBootSourceWroteWinsAndStays() {
        cluster.createAll(GCP_CLUSTER);
        startOperator(testSettings().withResyncPeriod(Duration.ofSeconds(1)), policy());
        awaitConverged();

        editAnnotation("standard", Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES, "my-own-class");
        await().atMost(CONVERGE).until(() -> warningEvents("standard").stream()
                .anyMatch(e -> e.getMessage().contains("my-own-class")));
        sleep(Duration.ofSeconds(2));

        assertThat(cluster.annotations("standard")).containsEntry(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES, "my-own-class");
        assertThat(cluster.annotations("standard").get(Keys.MANAGED_ANNOTATIONS)).doesNotContain("my-own-class");
    }

    @Test
    void aMatchingClassThatAppearsIsChosenAndOneThatVanishesIsDropped() {
        cluster.createAll(GCP_CLUSTER);
        startOperator(testSettings(), policyWithoutAutoCreate());
        await().atMost(CONVERGE).until(() -> "true".equals(cluster.annotations("hyperdisk").get(Keys.USE_RWO_FOR_BOOT_SOURCES)));
        assertThat(cluster.annotations("hyperdisk")).doesNotContainKey(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES);
        await().atMost(CONVERGE).until(() -> !warningEvents("hyperdisk").isEmpty());

        cluster.create("""
                apiVersion: snapshot.storage.k8s.io/v1
                kind: VolumeSnapshotClass
                metadata:
                  name: team-images
                driver: pd.csi.storage.gke.io
                deletionPolicy: Delete
                parameters:
                  snapshot-type: images
                """);
        await().atMost(CONVERGE).until(() -> "team-images".equals(cluster.annotations("hyperdisk").get(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES))
                && "team-images".equals(cluster.annotations("standard").get(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES)));
        assertThat(cluster.snapshotClassesCreatedByBootSource()).isEmpty();

        cluster.admin().resources(VolumeSnapshotClass.class).withName("team-images").delete();
        await().atMost(CONVERGE).until(() -> !cluster.annotations("hyperdisk").containsKey(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES)
                && !cluster.annotations("standard").containsKey(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES));
        assertThat(cluster.annotations("hyperdisk")).containsEntry(Keys.USE_RWO_FOR_BOOT_SOURCES, "true");
    }

    @Test
    void aProfileDeletedAndRecreatedByCdiGetsItsAnnotationsBack() {
        cluster.createAll(GCP_CLUSTER);
        startOperator();
        awaitConverged();

        cluster.admin().resources(StorageProfile.class).withName("hyperdisk").delete();
        await().atMost(CONVERGE).until(() -> cluster.profile("hyperdisk") == null);
        cluster.create("""
                apiVersion: cdi.kubevirt.io/v1beta1
                kind: StorageProfile
                metadata:
                  name: hyperdisk
                spec: {}
                """);

        await().atMost(CONVERGE).until(() -> "hyperdisk-images".equals(cluster.annotations("hyperdisk").get(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES)));
        assertThat(cluster.annotations("hyperdisk")).containsEntry(Keys.USE_RWO_FOR_BOOT_SOURCES, "true");
        assertThat(cluster.snapshotClassesCreatedByBootSource()).hasSize(1);
    }

    @Test
    void malformedObjectsDoNotStopTheReconcileOfOtherProfiles() {
        cluster.create("""
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata:
                  name: bare
                provisioner: pd.csi.storage.gke.io
                someFutureField: {nested: [1, 2]}
                ---
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata:
                  name: good
                provisioner: pd.csi.storage.gke.io
                parameters:
                  type: hyperdisk-balanced
                ---
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata:
                  name: no-provisioner-facts
                provisioner: example.com/unknown
                ---
                apiVersion: cdi.kubevirt.io/v1beta1
                kind: StorageProfile
                metadata:
                  name: bare
                  annotations:
                    cdi.kubevirt.io/useReadWriteOnceForBootSources: "TRUE"
                    bootsource.dev/managed-annotations: "{not json"
                spec:
                  unknownSetting: 7
                  claimPropertySets: "not even a list"
                ---
                apiVersion: cdi.kubevirt.io/v1beta1
                kind: StorageProfile
                metadata:
                  name: good
                ---
                apiVersion: cdi.kubevirt.io/v1beta1
                kind: StorageProfile
                metadata:
                  name: no-provisioner-facts
                ---
                apiVersion: cdi.kubevirt.io/v1beta1
                kind: StorageProfile
                metadata:
                  name: orphan-without-storage-class
                """);
        startOperator();

        await().atMost(CONVERGE).until(() -> "true".equals(cluster.annotations("good").get(Keys.USE_RWO_FOR_BOOT_SOURCES))
                && cluster.annotations("good").containsKey(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES));
        await().atMost(CONVERGE).until(() -> cluster.annotations("bare").containsKey(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES));
        assertThat(cluster.annotations("bare")).containsEntry(Keys.USE_RWO_FOR_BOOT_SOURCES, "TRUE");
        assertThat(cluster.profile("bare").getSpec().getAdditionalProperties())
                .containsEntry("unknownSetting", 7)
                .containsEntry("claimPropertySets", "not even a list");
        assertThat(cluster.annotations("no-provisioner-facts")).doesNotContainKeys(
                Keys.USE_RWO_FOR_BOOT_SOURCES, Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES);
        assertThat(cluster.annotations("orphan-without-storage-class")).isEmpty();
    }

    @Test
    void changesAndWarningsBecomeEventsAndWarningsAreNotRepeatedOnResync() {
        cluster.createAll(GCP_CLUSTER);
        startOperator(testSettings().withResyncPeriod(Duration.ofSeconds(1)), policy());
        awaitConverged();

        await().atMost(CONVERGE).untilAsserted(() -> assertThat(events("hyperdisk"))
                .extracting(Event::getReason)
                .contains(ProfileEvents.REASON_ADDED, ProfileEvents.REASON_SNAPSHOT_CLASS_CREATED));
        await().atMost(CONVERGE).until(() -> !warningEvents("hyperdisk-ha").isEmpty());
        int warnings = warningEvents("hyperdisk-ha").size();
        assertThat(events("hyperdisk")).allSatisfy(event -> {
            assertThat(event.getInvolvedObject().getKind()).isEqualTo("StorageProfile");
            assertThat(event.getInvolvedObject().getUid()).isEqualTo(cluster.profile("hyperdisk").getMetadata().getUid());
            assertThat(event.getSource().getComponent()).isEqualTo(ProfileEvents.COMPONENT);
        });
        assertThat(events("hyperdisk")).filteredOn(e -> ProfileEvents.REASON_ADDED.equals(e.getReason()))
                .extracting(Event::getMessage)
                .anySatisfy(message -> assertThat(message).startsWith("add " + Keys.USE_RWO_FOR_BOOT_SOURCES + "=true: "));

        sleep(Duration.ofSeconds(3));
        assertThat(warningEvents("hyperdisk-ha")).hasSize(warnings);
    }

    private void awaitConverged() {
        await().atMost(CONVERGE).until(() ->
                "hyperdisk-images".equals(cluster.annotations("hyperdisk").get(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES))
                        && "hyperdisk-images".equals(cluster.annotations("standard").get(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES))
                        && "true".equals(cluster.annotations("hyperdisk-ha").get(Keys.USE_RWO_FOR_BOOT_SOURCES)));
    }

    private List<FaultInjectingDispatcher.Request> patchesTo(String profile) {
        return cluster.operatorWrites("storageprofiles").stream()
                .filter(request -> request.path().matches(".*/storageprofiles/" + profile + "(\\?.*)?"))
                .toList();
    }

    private void editAnnotation(String profile, String key, String value) {
        cluster.admin().resources(StorageProfile.class).withName(profile)
                .edit(p -> {
                    p.getMetadata().getAnnotations().put(key, value);
                    return p;
                });
    }

    private List<Event> events(String profile) {
        return cluster.admin().v1().events().inNamespace(ProfileEvents.NAMESPACE).list().getItems().stream()
                .filter(event -> profile.equals(event.getInvolvedObject().getName()))
                .toList();
    }

    private List<Event> warningEvents(String profile) {
        return events(profile).stream().filter(event -> "Warning".equals(event.getType())).toList();
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
