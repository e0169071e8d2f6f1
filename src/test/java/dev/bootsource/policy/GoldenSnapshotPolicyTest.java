package dev.bootsource.policy;

import dev.bootsource.capabilities.CapabilityCatalogLoader;
import dev.bootsource.cluster.ClusterSnapshot;
import dev.bootsource.model.Keys;
import dev.bootsource.model.VolumeSnapshot;
import dev.bootsource.policy.GoldenSnapshotDecision.Op;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.bootsource.policy.ClusterFixture.fromYaml;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §5: which CRON-labelled golden snapshots are stale, and when one may be deleted so CDI
 * re-imports it onto the boot-source class. The storage it runs on is
 * {@code src/test/resources/policy/golden-snapshots.yaml}.
 */
class GoldenSnapshotPolicyTest {

    static final String NS = "os-images";

    static final PolicyOptions AUTO = PolicyOptions.DEFAULTS;
    static final PolicyOptions DRY_RUN = PolicyOptions.DEFAULTS.withGoldenSnapshots(GoldenSnapshotMode.DRY_RUN, 1);
    static final PolicyOptions OFF = PolicyOptions.DEFAULTS.withGoldenSnapshots(GoldenSnapshotMode.OFF, 1);
    static final PolicyOptions TWO_IN_FLIGHT = PolicyOptions.DEFAULTS.withGoldenSnapshots(GoldenSnapshotMode.AUTO, 2);

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
                row("the effective VSC follows upstream CDI where it manages the profile",
                        storage().cron(NS, "fedora", "upstream").goldenSnapshot(NS, "fedora-1", "fedora", "sp-balanced-images"),
                        expect("fedora-1", Op.RECREATE, "cdi-images", "calls for cdi-images")),
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
                        expect("fedora-1", Op.BLOCKED, "sp-balanced-images", "in flight"),
                        expect("centos-0", Op.BLOCKED, null, "already being deleted")),
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
                row("a snapshot already being deleted is reported blocked, never deleted again",
                        storage().cron(NS, "fedora", "sp-balanced")
                                .goldenSnapshotBeingDeleted(NS, "fedora-1", "fedora", "csi-gce-pd-vsc"),
                        expect("fedora-1", Op.BLOCKED, null, "already being deleted")),

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

    static Expectation notConsidered(String name) {
        return decisions -> assertThat(decisions).as("decisions").noneMatch(d -> d.name().equals(name));
    }
}
