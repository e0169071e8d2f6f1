package dev.bootsource.policy;

import dev.bootsource.capabilities.CapabilityCatalogLoader;
import dev.bootsource.cluster.ClusterSnapshot;
import dev.bootsource.model.Keys;
import dev.bootsource.model.VolumeSnapshot;
import dev.bootsource.policy.GoldenSnapshotDecision.BlockReason;
import dev.bootsource.policy.GoldenSnapshotDecision.Op;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.bootsource.policy.ClusterFixture.fromYaml;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * spec §5: which CRON-labelled golden snapshots are stale, and when one may be deleted so CDI
 * re-imports it onto the boot-source class. The storage it runs on is
 * {@code src/test/resources/policy/golden-snapshots.yaml}.
 */
class GoldenSnapshotPolicyTest {

    static final String NS = "os-images";

    static final PolicyOptions AUTO = PolicyOptions.DEFAULTS;
    static final PolicyOptions DRY_RUN = PolicyOptions.DEFAULTS.withGoldenSnapshots(GoldenSnapshotMode.DRY_RUN, 1);
    static final PolicyOptions OFF = PolicyOptions.DEFAULTS.withGoldenSnapshots(GoldenSnapshotMode.OFF, 1);
    static final PolicyOptions TWO_IN_FLIGHT = PolicyOptions.DEFAULTS.withGoldenSnapshots(GoldenSnapshotMode.AUTO, 2);
    static final PolicyOptions CDI_NO = PolicyOptions.DEFAULTS.withCdiMode(CdiMode.NO);
    static final PolicyOptions CDI_YES = PolicyOptions.DEFAULTS.withCdiMode(CdiMode.YES);
    /** What CDI v1.65+ writes on a profile: its own RWO and snapshot-class annotations. */
    static final Map<String, String> CDI_MANAGED = Map.of(
            Keys.UPSTREAM_USE_RWO, "true", Keys.UPSTREAM_SNAPSHOT_CLASS, "cdi-images");

    static ClusterFixture storage() {
        return fromYaml("policy/golden-snapshots.yaml");
    }

    static Stream<Named<Row>> rows() {
        return table(
                // Stale: its class differs from the effective VSC of its cron's storage class, and that VSC is non-empty
                row("a snapshot taken with another class than its cron's effective VSC is stale and recreated",
                        storage().cron(NS, "fedora", "sp-balanced").goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.RECREATE, "sp-balanced-images", "taken with csi-gce-pd-vsc")),
                row("a snapshot taken without a class (so with the default) is stale and recreated",
                        storage().cron(NS, "fedora", "sp-balanced").goldenSnapshot(NS, "fedora-1", "fedora", null),
                        expect("fedora-1", Op.RECREATE, "sp-balanced-images", "the default class")),
                row("a snapshot already taken with the effective VSC is kept",
                        storage().cron(NS, "fedora", "sp-balanced").goldenSnapshot(NS, "fedora-1", "fedora", "sp-balanced-images"),
                        expect("fedora-1", Op.KEEP, "sp-balanced-images", "already taken with")),
                row("a snapshot whose cron's class has no effective VSC (opted out) is kept",
                        storage().cron(NS, "fedora", "opted-out").goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.KEEP, null, "no boot-source snapshot class")),
                row("a snapshot whose cron's class has no effective VSC (regional) is kept",
                        storage().cron(NS, "fedora", "regional").goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.KEEP, null, "no boot-source snapshot class")),
                row("where CDI manages boot sources the expected class is CDI's, and CDI recreates the snapshot itself",
                        storage().profile("upstream", CDI_MANAGED).cron(NS, "fedora", "upstream")
                                .goldenSnapshot(NS, "fedora-1", "fedora", "sp-balanced-images"),
                        expect("fedora-1", Op.BLOCKED, "cdi-images", "CDI manages boot sources", BlockReason.CDI_MANAGES_BOOT_SOURCES)),
                row("the cron template's storageClassName decides, not the default class",
                        storage().cron(NS, "fedora", "sp-balanced").goldenSnapshot(NS, "fedora-1", "fedora", "standard-images"),
                        expect("fedora-1", Op.RECREATE, "sp-balanced-images", "StorageClass sp-balanced")),
                row("without a template storage class, the default virt class decides",
                        storage().annotateStorageClass("sp-balanced", Keys.DEFAULT_VIRT_STORAGE_CLASS, "true")
                                .cron(NS, "fedora", null).goldenSnapshot(NS, "fedora-1", "fedora", "standard-images"),
                        expect("fedora-1", Op.RECREATE, "sp-balanced-images", "StorageClass sp-balanced")),
                row("without a template storage class or a virt default, the default class decides",
                        storage().cron(NS, "fedora", null).goldenSnapshot(NS, "fedora-1", "fedora", "standard-images"),
                        expect("fedora-1", Op.KEEP, "standard-images", "already taken with")),
                row("a stale snapshot waits while its desired class is only planned, not created yet",
                        ClusterFixture.cluster().hyperdiskClass("fresh").profile("fresh")
                                .snapshotClass("csi-gce-pd-vsc", ClusterFixture.PD)
                                .cron(NS, "fedora", "fresh").goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.BLOCKED, "fresh-images", "does not exist yet")),
                row("a template storage class that does not exist leaves the snapshot kept",
                        storage().cron(NS, "fedora", "no-such-class").goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.KEEP, null, "no-such-class")),
                row("no template storage class and no default class leaves the snapshot kept",
                        storage().annotateStorageClass("standard", Keys.DEFAULT_STORAGE_CLASS, "false")
                                .cron(NS, "fedora", null).goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.KEEP, null, "no default")),

                // Policy auto | dry-run | off
                row("dry-run reports a stale snapshot as blocked: it would be deleted",
                        storage().cron(NS, "fedora", "sp-balanced").goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.BLOCKED, "sp-balanced-images", "dry-run")).with(DRY_RUN),
                row("off leaves a stale snapshot alone: blocked, handling is off",
                        storage().cron(NS, "fedora", "sp-balanced").goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.BLOCKED, "sp-balanced-images", "off")).with(OFF),
                row("off still reports a snapshot on the right class as kept",
                        storage().cron(NS, "fedora", "sp-balanced").goldenSnapshot(NS, "fedora-1", "fedora", "sp-balanced-images"),
                        expect("fedora-1", Op.KEEP, "sp-balanced-images", "already taken with")).with(OFF),

                // Only when its DataImportCron exists and is UpToDate
                row("a snapshot whose cron does not exist is blocked",
                        storage().cron(NS, "centos", "sp-balanced").goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.BLOCKED, null, "not found")),
                row("a cron of the same name in another namespace does not count",
                        storage().cron("elsewhere", "fedora", "sp-balanced").goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.BLOCKED, null, "not found")),
                row("a snapshot whose cron is not UpToDate is blocked",
                        storage().cronNotUpToDate(NS, "fedora", "sp-balanced")
                                .goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.BLOCKED, "sp-balanced-images", "not UpToDate")),
                row("a cron CDI has not reported on yet is not UpToDate: blocked",
                        storage().cronWithoutStatus(NS, "fedora", "sp-balanced")
                                .goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.BLOCKED, "sp-balanced-images", "not UpToDate")),

                // No other snapshot of that cron is still becoming ready
                row("another snapshot of the same cron still becoming ready blocks the deletion",
                        storage().cron(NS, "fedora", "sp-balanced")
                                .goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc")
                                .goldenSnapshotNotReady(NS, "fedora-2", "fedora", "sp-balanced-images"),
                        expect("fedora-1", Op.BLOCKED, "sp-balanced-images", "fedora-2"),
                        expect("fedora-2", Op.KEEP, "sp-balanced-images", "already taken with")),
                row("a snapshot of another cron becoming ready does not block",
                        storage().cron(NS, "fedora", "sp-balanced").cron(NS, "centos", "sp-balanced")
                                .goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc")
                                .goldenSnapshotNotReady(NS, "centos-2", "centos", "sp-balanced-images"),
                        expect("fedora-1", Op.RECREATE, "sp-balanced-images", "re-import")),
                row("a snapshot of a same-named cron in another namespace becoming ready does not block",
                        storage().cron(NS, "fedora", "sp-balanced").cron("elsewhere", "fedora", "sp-balanced")
                                .goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc")
                                .goldenSnapshotNotReady("elsewhere", "fedora-2", "fedora", "sp-balanced-images"),
                        expect("fedora-1", Op.RECREATE, "sp-balanced-images", "re-import")),
                row("a sibling being deleted is in flight, not becoming ready",
                        storage().cron(NS, "fedora", "sp-balanced")
                                .goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc")
                                .goldenSnapshotBeingDeleted(NS, "fedora-0", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.RECREATE, "sp-balanced-images", "re-import")).with(TWO_IN_FLIGHT),

                // At most N (default 1) deletions in flight cluster-wide
                row("a deletion already in flight fills the default limit of one",
                        storage().cron(NS, "fedora", "sp-balanced").cron("other-images", "centos", "sp-balanced")
                                .goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc")
                                .goldenSnapshotBeingDeleted("other-images", "centos-0", "centos", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.BLOCKED, "sp-balanced-images", "in flight", BlockReason.LIMIT),
                        expect("centos-0", Op.KEEP, null, "being deleted")),
                row("with a limit of two, one deletion in flight leaves room for another",
                        storage().cron(NS, "fedora", "sp-balanced").cron("other-images", "centos", "sp-balanced")
                                .goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc")
                                .goldenSnapshotBeingDeleted("other-images", "centos-0", "centos", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.RECREATE, "sp-balanced-images", "re-import")).with(TWO_IN_FLIGHT),
                row("deletions decided in this pass count: the first stale snapshot by namespace/name goes, the next waits",
                        storage().cron(NS, "fedora", "sp-balanced").cron(NS, "centos", "sp-balanced")
                                .goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc")
                                .goldenSnapshot(NS, "centos-1", "centos", "csi-gce-pd-vsc"),
                        expect("centos-1", Op.RECREATE, "sp-balanced-images", "re-import"),
                        expect("fedora-1", Op.BLOCKED, "sp-balanced-images", "in flight")),
                row("a snapshot already being deleted is kept, never deleted again",
                        storage().cron(NS, "fedora", "sp-balanced")
                                .goldenSnapshotBeingDeleted(NS, "fedora-1", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.KEEP, null, "being deleted")),

                // §5 condition 1 and §3.1: CDI v1.65+ picks the class and recreates golden snapshots itself
                row("a CDI resource reporting v1.66 means CDI manages boot sources: nothing is recreated",
                        storage().cdi("v1.66.0").cron(NS, "fedora", "sp-balanced")
                                .goldenSnapshot(NS, "fedora-1", "fedora", "standard-images"),
                        expect("fedora-1", Op.BLOCKED, "csi-gce-pd-vsc", "v1.66.0", BlockReason.CDI_MANAGES_BOOT_SOURCES)),
                row("a CDI resource reporting v1.64 does not manage boot sources, even beside upstream annotations",
                        storage().cdi("v1.64.2").profile("upstream", CDI_MANAGED).cron(NS, "fedora", "sp-balanced")
                                .goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.RECREATE, "sp-balanced-images", "re-import")),
                row("CDI's class falls back to the profile's status.snapshotClass of the same driver",
                        storage().cdi("v1.65.0").profileStatusSnapshotClass("sp-balanced", "standard-images")
                                .cron(NS, "fedora", "sp-balanced").goldenSnapshot(NS, "fedora-1", "fedora", "standard-images"),
                        expect("fedora-1", Op.KEEP, "standard-images", "already taken with")),
                row("CDI's class is then the driver's default snapshot class",
                        storage().cdi("v1.65.0").cron(NS, "fedora", "sp-balanced")
                                .goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.KEEP, "csi-gce-pd-vsc", "already taken with")),
                row("--cdi-manages-boot-sources no overrides what the cluster shows",
                        storage().cdi("v1.66.0").cron(NS, "fedora", "sp-balanced")
                                .goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.RECREATE, "sp-balanced-images", "re-import")).with(CDI_NO),
                row("--cdi-manages-boot-sources yes overrides what the cluster shows",
                        storage().cron(NS, "fedora", "sp-balanced")
                                .goldenSnapshot(NS, "fedora-1", "fedora", "standard-images"),
                        expect("fedora-1", Op.BLOCKED, "csi-gce-pd-vsc", "--cdi-manages-boot-sources yes",
                                BlockReason.CDI_MANAGES_BOOT_SOURCES)).with(CDI_YES),

                // §5 condition 2: the cron is idle
                row("a cron that is importing (Progressing) is busy: blocked",
                        storage().cron(NS, "fedora", "sp-balanced").progressing()
                                .goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.BLOCKED, "sp-balanced-images", "Progressing", BlockReason.CRON_BUSY)),

                // §5 condition 3: the re-import lands on the expected class
                row("a template with spec.pvc can never be imported ReadWriteOnce by BootSource: blocked",
                        storage().cron(NS, "fedora", "sp-balanced").withPvcTemplate()
                                .goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.BLOCKED, "sp-balanced-images", "spec.pvc", BlockReason.TEMPLATE_NOT_RWO)),
                row("a template asking for ReadWriteMany can never give an images snapshot: blocked",
                        storage().cron(NS, "fedora", "sp-balanced").withAccessModes("ReadWriteMany")
                                .goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.BLOCKED, "sp-balanced-images", "ReadWriteMany", BlockReason.TEMPLATE_NOT_RWO)),
                row("a template asking for ReadWriteOnce only is fine",
                        storage().cron(NS, "fedora", "sp-balanced").withAccessModes("ReadWriteOnce")
                                .goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.RECREATE, "sp-balanced-images", "re-import")),
                row("an expected class that is being deleted is unusable: blocked",
                        storage().snapshotClass("sp-balanced-images", ClusterFixture.PD, false, true, "snapshot-type", "images")
                                .profile("sp-balanced", ClusterFixture.Annotations.userSet(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES, "sp-balanced-images"))
                                .cron(NS, "fedora", "sp-balanced").goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.KEEP, null, "no boot-source snapshot class")),
                row("a user's class of another driver is not effective (spec §3 rule 6): the good snapshot is kept",
                        storage().snapshotClass("ebs-images", "ebs.csi.aws.com", "snapshot-type", "images")
                                .profile("sp-balanced", ClusterFixture.Annotations.userSet(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES, "ebs-images"))
                                .cron(NS, "fedora", "sp-balanced").goldenSnapshot(NS, "fedora-1", "fedora", "sp-balanced-images"),
                        expect("fedora-1", Op.KEEP, null, "no boot-source snapshot class")),
                row("where CDI's class belongs to another driver, nothing is deleted for it",
                        storage().cdi("v1.66.0").snapshotClass("ebs-images", "ebs.csi.aws.com", "snapshot-type", "images")
                                .profile("upstream", Map.of(Keys.UPSTREAM_SNAPSHOT_CLASS, "ebs-images"))
                                .cron(NS, "fedora", "upstream").goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.BLOCKED, "ebs-images", "CDI manages", BlockReason.CDI_MANAGES_BOOT_SOURCES)),

                // §5 condition 4: never twice in vain
                row("a replacement that came back stale after BootSource's recreation is not recreated again",
                        storage().cron(NS, "fedora", "sp-balanced").recreated("fedora-1", "csi-gce-pd-vsc", "sp-balanced-images")
                                .goldenSnapshot(NS, "fedora-2", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-2", Op.BLOCKED, "sp-balanced-images", "already recreated fedora-1",
                                BlockReason.RECREATED_BEFORE)),
                row("a record of a delete that never happened (the snapshot is still there) does not block",
                        storage().cron(NS, "fedora", "sp-balanced").recreated("fedora-1", "csi-gce-pd-vsc", "sp-balanced-images")
                                .goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.RECREATE, "sp-balanced-images", "re-import")),
                row("an unreadable record blocks every recreation of that cron",
                        storage().cron(NS, "fedora", "sp-balanced").annotateLastCron(Keys.RECREATION_RECORD, "{not json")
                                .goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.BLOCKED, "sp-balanced-images", "unreadable", BlockReason.RECREATED_BEFORE)),

                // §5 condition 5: a recreation is in flight until the cron has a ready snapshot again
                row("a recorded recreation whose re-import is not ready yet fills the limit of one",
                        storage().cron(NS, "centos", "sp-balanced").recreated("centos-1", "csi-gce-pd-vsc", "sp-balanced-images")
                                .cron(NS, "fedora", "sp-balanced").goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.BLOCKED, "sp-balanced-images", "in flight (" + NS + "/centos", BlockReason.LIMIT)),
                row("a recorded recreation whose re-import is ready is no longer in flight",
                        storage().cron(NS, "centos", "sp-balanced").recreated("centos-1", "csi-gce-pd-vsc", "sp-balanced-images")
                                .goldenSnapshot(NS, "centos-2", "centos", "sp-balanced-images")
                                .cron(NS, "fedora", "sp-balanced").goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.RECREATE, "sp-balanced-images", "re-import"),
                        expect("centos-2", Op.KEEP, "sp-balanced-images", "already taken with")),

                // Never delete anything else
                row("a snapshot without the DataImportCron label is never considered",
                        storage().cron(NS, "fedora", "sp-balanced")
                                .unlabelledSnapshot(NS, "my-backup", "csi-gce-pd-vsc")
                                .goldenSnapshot(NS, "fedora-1", "fedora", "sp-balanced-images"),
                        notConsidered("my-backup"), expect("fedora-1", Op.KEEP, "sp-balanced-images", "already taken with")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decidesAsTheSpecSays(Row row) {
        List<GoldenSnapshotDecision> decisions = row.decide();
        row.expectations().forEach(expectation -> expectation.check(decisions));
    }

    @ParameterizedTest(name = "never more than the limit in flight: {0}")
    @MethodSource("rows")
    void neverMoreDeletionsInFlightThanTheLimit(Row row) {
        ClusterSnapshot cluster = row.cluster().build();
        long inFlight = cluster.dataImportCronSnapshots().stream().filter(VolumeSnapshot::isBeingDeleted).count();
        long recreated = row.decide().stream().filter(d -> d.op() == Op.RECREATE).count();

        assertThat(recreated).isLessThanOrEqualTo(Math.max(0, row.options().maxGoldenSnapshotDeletions() - inFlight));
    }

    @ParameterizedTest(name = "only labelled snapshots of an UpToDate cron are recreated: {0}")
    @MethodSource("rows")
    void onlyLabelledSnapshotsOfAnUpToDateCronAreRecreated(Row row) {
        ClusterSnapshot cluster = row.cluster().build();

        assertThat(row.decide()).filteredOn(d -> d.op() == Op.RECREATE).allSatisfy(decision -> {
            assertThat(row.options().goldenSnapshots()).isEqualTo(GoldenSnapshotMode.AUTO);
            assertThat(cluster.dataImportCronSnapshots()).anySatisfy(snapshot -> {
                assertThat(snapshot.getMetadata().getName()).isEqualTo(decision.name());
                assertThat(snapshot.getMetadata().getLabels()).containsEntry(Keys.DATA_IMPORT_CRON_LABEL, decision.dataImportCron());
            });
            assertThat(cluster.dataImportCron(decision.namespace(), decision.dataImportCron()))
                    .hasValueSatisfying(cron -> assertThat(cron.isUpToDate()).isTrue());
            assertThat(decision.desiredClass()).isPresent().isNotEqualTo(decision.currentClass());
        });
    }

    @Test
    void autoIsTheDefaultModeWithOneDeletionInFlight() {
        assertThat(PolicyOptions.DEFAULTS.goldenSnapshots()).isEqualTo(GoldenSnapshotMode.AUTO);
        assertThat(PolicyOptions.DEFAULTS.maxGoldenSnapshotDeletions()).isEqualTo(1);
    }

    @Test
    void theClusterStateNeverExposesAnUnlabelledSnapshot() {
        ClusterSnapshot cluster = storage()
                .unlabelledSnapshot(NS, "my-backup", "csi-gce-pd-vsc")
                .goldenSnapshot(NS, "fedora-1", "fedora", "csi-gce-pd-vsc")
                .build();

        assertThat(cluster.dataImportCronSnapshots()).extracting(s -> s.getMetadata().getName()).containsExactly("fedora-1");
    }

    @Test
    void modesAreReadFromTheirNames() {
        assertThat(GoldenSnapshotMode.parse("auto")).isEqualTo(GoldenSnapshotMode.AUTO);
        assertThat(GoldenSnapshotMode.parse("dry-run")).isEqualTo(GoldenSnapshotMode.DRY_RUN);
        assertThat(GoldenSnapshotMode.parse(" Off ")).isEqualTo(GoldenSnapshotMode.OFF);
        assertThat(GoldenSnapshotMode.DRY_RUN.label()).isEqualTo("dry-run");
    }

    // --- Rows and expectations -------------------------------------------------------------------------

    record Row(String behaviour, ClusterFixture cluster, PolicyOptions options, List<Expectation> expectations) {

        List<GoldenSnapshotDecision> decide() {
            BootSourcePolicy policy = new BootSourcePolicy(CapabilityCatalogLoader.bundled(), options);
            return new GoldenSnapshotPolicy(policy).decide(cluster.build());
        }

        Row with(PolicyOptions other) {
            return new Row(behaviour, cluster, other, expectations);
        }

        @Override
        public String toString() {
            return behaviour;
        }
    }

    static Row row(String behaviour, ClusterFixture cluster, Expectation... expectations) {
        return new Row(behaviour, cluster, AUTO, Arrays.asList(expectations));
    }

    static Stream<Named<Row>> table(Row... rows) {
        return Arrays.stream(rows).map(row -> Named.of(row.behaviour(), row));
    }

    @FunctionalInterface
    interface Expectation {
        void check(List<GoldenSnapshotDecision> decisions);
    }

    /** The decision for snapshot {@code name}: its op, desired class (null: none) and a fragment of its reason. */
    static Expectation expect(String name, Op op, String desiredClass, String reasonFragment) {
        return decisions -> assertThat(decisions).as("decisions").filteredOn(d -> d.name().equals(name))
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.op()).as(name + " op (" + d.reason() + ")").isEqualTo(op);
                    assertThat(d.desiredClass()).as(name + " desired class").isEqualTo(Optional.ofNullable(desiredClass));
                    assertThat(d.reason()).as(name + " reason").contains(reasonFragment);
                });
    }

    /** As {@link #expect(String, Op, String, String)}, and held back by {@code reason}. */
    static Expectation expect(String name, Op op, String desiredClass, String reasonFragment, BlockReason reason) {
        Expectation first = expect(name, op, desiredClass, reasonFragment);
        return decisions -> {
            first.check(decisions);
            assertThat(decisions).filteredOn(d -> d.name().equals(name)).singleElement()
                    .satisfies(d -> assertThat(d.blockedBy()).as(name + " blocked by").contains(reason));
        };
    }

    static Expectation notConsidered(String name) {
        return decisions -> assertThat(decisions).as("decisions").noneMatch(d -> d.name().equals(name));
    }
}
