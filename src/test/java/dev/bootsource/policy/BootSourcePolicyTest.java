package dev.bootsource.policy;

import dev.bootsource.capabilities.CapabilityCatalogLoader;
import dev.bootsource.capabilities.ProvisionerKey;
import dev.bootsource.cluster.ClusterSnapshot;
import dev.bootsource.model.Keys;
import dev.bootsource.model.StorageProfile;
import dev.bootsource.model.VolumeSnapshotClass;
import dev.bootsource.policy.AnnotationChange.Op;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static dev.bootsource.policy.ClusterFixture.Annotations.bootSourceSet;
import static dev.bootsource.policy.ClusterFixture.Annotations.userSet;
import static dev.bootsource.policy.ClusterFixture.HYPERDISK_KEY;
import static dev.bootsource.policy.ClusterFixture.PD;
import static dev.bootsource.policy.ClusterFixture.cluster;
import static dev.bootsource.policy.ClusterFixture.fromYaml;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * spec §2 (provisioner knowledge) and §3 (StorageProfile annotations), one row per sentence.
 *
 * <p>Every row is checked three ways: the decision the row states; that deciding again on the cluster
 * the decision leaves behind changes nothing; and that only the policy keys and BootSource's record
 * ever change, never a value someone else set.
 */
class BootSourcePolicyTest {

    static final String MIN = Keys.MINIMUM_PVC_SIZE;
    static final String RWO = Keys.USE_RWO_FOR_BOOT_SOURCES;
    static final String VSC = Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES;
    static final String U_RWO = Keys.UPSTREAM_USE_RWO;
    static final String U_VSC = Keys.UPSTREAM_SNAPSHOT_CLASS;
    static final String RECORD = Keys.MANAGED_ANNOTATIONS;
    static final Set<String> POLICY_KEYS = Set.of(MIN, RWO, VSC, RECORD);

    static final BootSourcePolicy DEFAULTS = new BootSourcePolicy(CapabilityCatalogLoader.bundled(), PolicyOptions.DEFAULTS);
    static final BootSourcePolicy AUTO_CREATE_OFF = new BootSourcePolicy(
            CapabilityCatalogLoader.bundled(), PolicyOptions.DEFAULTS.withAutoCreate(false));

    /** An admin's provisioner config laid over the bundled one. */
    static BootSourcePolicy config(String yaml) {
        return new BootSourcePolicy(CapabilityCatalogLoader.withOverrides(yaml, "test config"), PolicyOptions.DEFAULTS);
    }

    static final String EXAMPLE_DRIVER = "csi.example.com";
    static final String EXAMPLE_KEY_IN_RWO_SET = """
            provisioners:
              csi.example.com:
                minimumPvcSize: 10Gi
                bootSource:
                  readWriteOnce: true
                  snapshotClassParameters:
                    tier: golden
            """;
    static final String HYPERDISK_MIN_8GI = """
            provisioners:
              pd.csi.storage.gke.io/hyperdisk:
                minimumPvcSize: 8Gi
            """;
    static final String HYPERDISK_MIN_UNKNOWN = """
            provisioners:
              pd.csi.storage.gke.io/hyperdisk:
                minimumPvcSize: null
            """;
    static final String HYPERDISK_OUT_OF_RWO_SET = """
            provisioners:
              pd.csi.storage.gke.io/hyperdisk:
                bootSource:
                  readWriteOnce: false
            """;
    static final String HYPERDISK_ARCHIVE_SNAPSHOTS = """
            provisioners:
              pd.csi.storage.gke.io/hyperdisk:
                bootSource:
                  snapshotClassParameters:
                    snapshot-type: archive
            """;
    static final String PD_WITHOUT_REGIONAL_RULE = """
            provisioners:
              pd.csi.storage.gke.io:
                bootSource:
                  imagesSnapshotUnsupportedWhen: []
            """;

    // --- The table -----------------------------------------------------------------------------------

    static Stream<Named<Row>> rows() {
        return table(
                // §2 A StorageClass maps to a provisioner key
                row("hyperdisk-balanced maps to the pd.csi.storage.gke.io/hyperdisk key",
                        cluster().hyperdiskClass("sp").profile("sp"),
                        key(HYPERDISK_KEY)),
                row("hyperdisk-balanced-high-availability maps to the pd.csi.storage.gke.io/hyperdisk key",
                        cluster().storageClass("sp", PD, "type", "hyperdisk-balanced-high-availability").profile("sp"),
                        key(HYPERDISK_KEY)),
                row("any other disk type maps to the pd.csi.storage.gke.io key",
                        cluster().storageClass("sp", PD, "type", "pd-ssd").profile("sp"),
                        key(PD)),
                row("a PD class without a type maps to the pd.csi.storage.gke.io key",
                        cluster().storageClass("sp", PD).profile("sp"),
                        key(PD)),
                row("a provisioner without key rules is its own key and gets no boot-source annotations",
                        cluster().storageClass("sp", "rbd.csi.ceph.com", "pool", "replicapool").profile("sp"),
                        key("rbd.csi.ceph.com"), absent(RWO), absent(VSC), noChanges()),
                row("a provisioner known not to work with CDI gets a warning and nothing else",
                        cluster().storageClass("sp", "kubernetes.io/no-provisioner").profile("sp"),
                        noChanges(), warning("known not to work with CDI")),

                // §2 The RWO set holds pd.csi.storage.gke.io and pd.csi.storage.gke.io/hyperdisk
                row("the pd.csi.storage.gke.io key is in the RWO set",
                        cluster().storageClass("sp", PD, "type", "pd-ssd").profile("sp"),
                        annotation(RWO, "true"), change(Op.ADD, RWO, "true"), effectiveRwo(true)),
                row("the pd.csi.storage.gke.io/hyperdisk key is in the RWO set",
                        cluster().hyperdiskClass("sp").profile("sp"),
                        annotation(RWO, "true"), change(Op.ADD, RWO, "true"), effectiveRwo(true)),

                // §2 A VolumeSnapshotClass matches: same driver, snapshot-type images, not being deleted
                row("a class with the StorageClass's driver and snapshot-type images matches",
                        cluster().hyperdiskClass("sp").profile("sp").imagesSnapshotClass("golden"),
                        annotation(VSC, "golden"), chose(SnapshotClassChoice.Discovered.class), effectiveVsc("golden")),
                row("a class with extra parameters besides snapshot-type images matches",
                        cluster().hyperdiskClass("sp").profile("sp")
                                .snapshotClass("golden", PD, "snapshot-type", "images", "storage-locations", "us-central1"),
                        annotation(VSC, "golden")),
                row("a class of another driver does not match",
                        cluster().hyperdiskClass("sp").profile("sp")
                                .snapshotClass("ebs-images", "ebs.csi.aws.com", "snapshot-type", "images"),
                        annotation(VSC, "sp-images"), creates("sp-images")),
                row("a class without snapshot-type does not match",
                        cluster().hyperdiskClass("sp").profile("sp").snapshotClass("csi-gce-pd-vsc", PD),
                        annotation(VSC, "sp-images"), creates("sp-images")),
                row("a class with another snapshot-type does not match",
                        cluster().hyperdiskClass("sp").profile("sp").snapshotClass("archive", PD, "snapshot-type", "archive"),
                        annotation(VSC, "sp-images"), creates("sp-images")),
                row("a class being deleted does not match",
                        cluster().hyperdiskClass("sp").profile("sp").deletingImagesSnapshotClass("golden"),
                        annotation(VSC, "sp-images"), creates("sp-images")),
                row("the matching parameters are data: a configured key matches classes with its own parameters",
                        cluster().storageClass("sp", EXAMPLE_DRIVER).profile("sp")
                                .snapshotClass("by-type", EXAMPLE_DRIVER, "snapshot-type", "images")
                                .snapshotClass("tiered", EXAMPLE_DRIVER, "tier", "golden"),
                        annotation(RWO, "true"), annotation(VSC, "tiered")).with(config(EXAMPLE_KEY_IN_RWO_SET)),
                row("the matching parameters of a bundled key can be overridden",
                        cluster().hyperdiskClass("sp").profile("sp")
                                .imagesSnapshotClass("cnv-images")
                                .snapshotClass("archive", PD, "snapshot-type", "archive"),
                        annotation(VSC, "archive")).with(config(HYPERDISK_ARCHIVE_SNAPSHOTS)),

                // §2 Regional classes get RWO as usual but no VSC, and a warning saying why
                row("a class with replication-type regional-pd gets RWO but no VSC, and a warning saying why",
                        cluster().storageClass("sp", PD, "type", "pd-balanced", "replication-type", "regional-pd")
                                .profile("sp").imagesSnapshotClass("sp-images"),
                        annotation(RWO, "true"), absent(VSC), nothingCreated(), warning("regional disks"),
                        effectiveVsc(null)),
                row("a class of type hyperdisk-balanced-high-availability gets RWO but no VSC, and a warning saying why",
                        cluster().storageClass("sp", PD, "type", "hyperdisk-balanced-high-availability")
                                .profile("sp").imagesSnapshotClass("sp-images"),
                        annotation(RWO, "true"), absent(VSC), nothingCreated(),
                        warning("hyperdisk-balanced-high-availability"), effectiveVsc(null)),
                row("on a regional class upstream CDI's VSC is not followed",
                        cluster().storageClass("sp", PD, "type", "hyperdisk-balanced-high-availability")
                                .profile("sp", userSet(U_VSC, "sp-images")).imagesSnapshotClass("sp-images"),
                        absent(VSC), warning("is not followed")),
                row("on a regional class a VSC that BootSource set is removed",
                        cluster().storageClass("sp", PD, "type", "pd-balanced", "replication-type", "regional-pd")
                                .profile("sp", bootSourceSet(RWO, "true").bootSource(VSC, "sp-images"))
                                .imagesSnapshotClass("sp-images"),
                        absent(VSC), change(Op.REMOVE, VSC, null)),
                row("the regional rule is data: without it a regional class gets a VSC",
                        cluster().storageClass("sp", PD, "type", "pd-balanced", "replication-type", "regional-pd")
                                .profile("sp").imagesSnapshotClass("sp-images"),
                        annotation(VSC, "sp-images"), noWarnings()).with(config(PD_WITHOUT_REGIONAL_RULE)),

                // §2 The admin extends or overrides the data from a config file
                row("a key the config adds to the RWO set gets RWO and its minimum size",
                        cluster().storageClass("sp", EXAMPLE_DRIVER).profile("sp"),
                        annotation(RWO, "true"), annotation(MIN, "10Gi")).with(config(EXAMPLE_KEY_IN_RWO_SET)),
                row("a key the config takes out of the RWO set gets no RWO and no VSC",
                        cluster().hyperdiskClass("sp").profile("sp").imagesSnapshotClass("sp-images"),
                        absent(RWO), absent(VSC), annotation(MIN, "4Gi")).with(config(HYPERDISK_OUT_OF_RWO_SET)),

                // §3 Ownership: a user's annotation is never changed or removed; BootSource's is kept current
                row("annotations of other tools are never touched",
                        cluster().hyperdiskClass("sp").imagesSnapshotClass("sp-images")
                                .profile("sp", userSet("example.com/owner", "team-a")),
                        annotation("example.com/owner", "team-a"), annotation(RWO, "true")),
                row("BootSource's record holds exactly the values it set",
                        cluster().hyperdiskClass("sp").imagesSnapshotClass("sp-images").profile("sp", userSet(MIN, "4Gi")),
                        recorded(RWO, "true"), recorded(VSC, "sp-images"), notRecorded(MIN)),
                row("a user's edit of a value BootSource wrote is kept and leaves BootSource's record",
                        cluster().hyperdiskClass("sp").imagesSnapshotClass("sp-images").snapshotClass("mine", PD)
                                .profile("sp", bootSourceSet(RWO, "true").user(VSC, "mine").recordedOnly(VSC, "sp-images")),
                        annotation(VSC, "mine"), unchanged(VSC), notRecorded(VSC), recorded(RWO, "true"),
                        chose(SnapshotClassChoice.UserSet.class)),
                row("a value BootSource wrote and someone removed is added again while the policy calls for it",
                        cluster().hyperdiskClass("sp").imagesSnapshotClass("sp-images")
                                .profile("sp", bootSourceSet(VSC, "sp-images").recordedOnly(RWO, "true")),
                        change(Op.ADD, RWO, "true"), unchanged(VSC)),
                row("an unreadable record gives a warning and every annotation counts as set by a user",
                        cluster().hyperdiskClass("sp").imagesSnapshotClass("new-images")
                                .profile("sp", userSet(RWO, "true").user(VSC, "gone-images").user(MIN, "4Gi")
                                        .record("{not json")),
                        warning("treated as set by a user"), unchanged(RWO), unchanged(VSC), unchanged(MIN),
                        annotation(VSC, "gone-images")),
                row("a record that is JSON null counts as unreadable",
                        cluster().hyperdiskClass("sp").imagesSnapshotClass("sp-images")
                                .profile("sp", userSet(RWO, "true").record("null")),
                        warning("treated as set by a user"), unchanged(RWO)),
                row("a record that is a JSON list counts as unreadable",
                        cluster().hyperdiskClass("sp").imagesSnapshotClass("sp-images")
                                .profile("sp", userSet(RWO, "true").record("[\"" + RWO + "\"]")),
                        warning("treated as set by a user"), unchanged(RWO)),

                // §3.1 MIN
                row("MIN is added when the key has a known minimum and the profile lacks it",
                        cluster().hyperdiskClass("sp").profile("sp"),
                        annotation(MIN, "4Gi"), change(Op.ADD, MIN, "4Gi")),
                row("MIN is not added for a key without a known minimum",
                        cluster().storageClass("sp", PD, "type", "pd-ssd").profile("sp"),
                        absent(MIN)),
                row("a MIN a user set stays, even when it differs from the known one",
                        cluster().hyperdiskClass("sp").profile("sp", userSet(MIN, "10Gi")),
                        annotation(MIN, "10Gi"), unchanged(MIN)),
                row("a MIN that CDI wrote itself is not BootSource's and stays",
                        cluster().hyperdiskClass("sp").profile("sp", userSet(MIN, "4Gi")),
                        annotation(MIN, "4Gi"), unchanged(MIN), notRecorded(MIN)),
                row("a MIN a user set stays on a key without a known minimum",
                        cluster().storageClass("sp", PD, "type", "pd-ssd").profile("sp", userSet(MIN, "1Gi")),
                        annotation(MIN, "1Gi"), unchanged(MIN)),
                row("a MIN BootSource set follows a changed config",
                        cluster().hyperdiskClass("sp").profile("sp", bootSourceSet(MIN, "4Gi")),
                        annotation(MIN, "8Gi"), change(Op.REPLACE, MIN, "8Gi")).with(config(HYPERDISK_MIN_8GI)),
                row("a MIN BootSource set is removed when no minimum is known any more",
                        cluster().hyperdiskClass("sp").profile("sp", bootSourceSet(MIN, "4Gi")),
                        absent(MIN), change(Op.REMOVE, MIN, null)).with(config(HYPERDISK_MIN_UNKNOWN)),

                // §3.2 RWO
                row("RWO true is added for a key in the RWO set when absent",
                        cluster().hyperdiskClass("sp").profile("sp"),
                        annotation(RWO, "true"), change(Op.ADD, RWO, "true"), recorded(RWO, "true")),
                row("an admin's RWO false stays and opts the class out",
                        cluster().hyperdiskClass("sp").imagesSnapshotClass("sp-images").profile("sp", userSet(RWO, "false")),
                        annotation(RWO, "false"), unchanged(RWO), effectiveRwo(false), absent(VSC)),
                row("an RWO of TRUE in capitals stays and counts as effective RWO",
                        cluster().hyperdiskClass("sp").imagesSnapshotClass("sp-images").profile("sp", userSet(RWO, "TRUE")),
                        annotation(RWO, "TRUE"), unchanged(RWO), effectiveRwo(true), annotation(VSC, "sp-images")),
                row("an RWO value other than true in any case is not effective RWO",
                        cluster().hyperdiskClass("sp").imagesSnapshotClass("sp-images").profile("sp", userSet(RWO, "yes")),
                        annotation(RWO, "yes"), effectiveRwo(false), absent(VSC)),
                row("RWO takes U_RWO's value when RWO is absent",
                        cluster().hyperdiskClass("sp").imagesSnapshotClass("sp-images").profile("sp", userSet(U_RWO, "false")),
                        annotation(RWO, "false"), change(Op.ADD, RWO, "false"), effectiveRwo(false), absent(VSC)),
                row("RWO takes U_RWO's value on a key outside the RWO set too",
                        cluster().storageClass("sp", "rbd.csi.ceph.com").profile("sp", userSet(U_RWO, "true")),
                        annotation(RWO, "true"), effectiveRwo(true)),
                row("an RWO already present stays whatever U_RWO says",
                        cluster().hyperdiskClass("sp").imagesSnapshotClass("sp-images")
                                .profile("sp", userSet(RWO, "true").user(U_RWO, "false")),
                        annotation(RWO, "true"), unchanged(RWO), effectiveRwo(true)),
                row("an RWO BootSource set follows a changed U_RWO",
                        cluster().hyperdiskClass("sp").imagesSnapshotClass("sp-images")
                                .profile("sp", bootSourceSet(RWO, "true").user(U_RWO, "false")),
                        annotation(RWO, "false"), change(Op.REPLACE, RWO, "false"), effectiveRwo(false)),
                row("a key outside the RWO set gets no RWO",
                        cluster().storageClass("sp", "ebs.csi.aws.com", "type", "gp3").profile("sp"),
                        absent(RWO), effectiveRwo(false), absent(VSC)),
                row("an RWO BootSource set is removed when the key leaves the RWO set",
                        cluster().hyperdiskClass("sp").profile("sp", bootSourceSet(RWO, "true").bootSource(MIN, "4Gi")),
                        absent(RWO), change(Op.REMOVE, RWO, null), unchanged(MIN)).with(config(HYPERDISK_OUT_OF_RWO_SET)),
                row("a user's RWO true on a key without matcher data stays; no VSC, and a warning how to add the data",
                        cluster().storageClass("sp", "rbd.csi.ceph.com").profile("sp", userSet(RWO, "true"))
                                .snapshotClass("rbd-images", "rbd.csi.ceph.com", "snapshot-type", "images"),
                        annotation(RWO, "true"), effectiveRwo(true), absent(VSC), warning("snapshotClassParameters")),

                // §3.3 VSC, only when effective RWO is true
                row("a user-set VSC naming an images class of the driver stays and is effective",
                        cluster().hyperdiskClass("sp").imagesSnapshotClass("sp-images").snapshotClass("mine", PD, "snapshot-type", "images")
                                .profile("sp", userSet(VSC, "mine")),
                        annotation(VSC, "mine"), unchanged(VSC), chose(SnapshotClassChoice.UserSet.class), noWarnings(),
                        effectiveVsc("mine")),
                row("a user-set VSC naming a class without snapshot-type images is effective, with a restore-limit warning",
                        cluster().hyperdiskClass("sp").imagesSnapshotClass("sp-images").snapshotClass("mine", PD)
                                .profile("sp", userSet(VSC, "mine")),
                        annotation(VSC, "mine"), unchanged(VSC), chose(SnapshotClassChoice.UserSet.class),
                        warning("restore limit"), effectiveVsc("mine")),
                row("a user-set VSC stays even when that class does not exist, but is not effective (warning)",
                        cluster().hyperdiskClass("sp").imagesSnapshotClass("sp-images").profile("sp", userSet(VSC, "gone")),
                        annotation(VSC, "gone"), unchanged(VSC), nothingCreated(), warning("gone"), warning("does not exist"),
                        effectiveVsc(null)),
                row("a user-set VSC stays when that class is being deleted, but is not effective (warning)",
                        cluster().hyperdiskClass("sp").deletingImagesSnapshotClass("going").profile("sp", userSet(VSC, "going")),
                        annotation(VSC, "going"), unchanged(VSC), warning("being deleted"), effectiveVsc(null)),
                row("a user-set VSC of another driver stays, but is not effective: its snapshots could never become ready",
                        cluster().hyperdiskClass("sp").imagesSnapshotClass("sp-images")
                                .snapshotClass("ebs-images", "ebs.csi.aws.com", "snapshot-type", "images")
                                .profile("sp", userSet(VSC, "ebs-images")),
                        annotation(VSC, "ebs-images"), unchanged(VSC), warning("driver ebs.csi.aws.com"), effectiveVsc(null)),

                // §3.1 where CDI manages boot sources: warnings where CDI will do other than the admin asked
                row("CDI v1.65+: a user's VSC that differs from CDI's class is warned about, and says U_VSC cannot be pinned",
                        cluster().cdi("v1.66.0").hyperdiskClass("sp").imagesSnapshotClass("sp-images")
                                .snapshotClass("team-images", PD, "snapshot-type", "images")
                                .profile("sp", userSet(VSC, "team-images").user(U_RWO, "true").user(U_VSC, "sp-images")),
                        annotation(VSC, "team-images"), warning("CDI manages boot sources and ignores " + VSC),
                        warning("cannot be pinned")),
                row("CDI v1.65+: a user's VSC equal to CDI's class draws no CDI warning",
                        cluster().cdi("v1.66.0").hyperdiskClass("sp").imagesSnapshotClass("sp-images")
                                .profile("sp", userSet(VSC, "sp-images").user(U_RWO, "true").user(U_VSC, "sp-images")),
                        noWarnings()),
                row("CDI v1.65+: a user's RWO opt-out that CDI ignores is warned about, naming the upstream key to set",
                        cluster().cdi("v1.66.0").hyperdiskClass("sp").imagesSnapshotClass("sp-images")
                                .profile("sp", userSet(RWO, "false").user(U_RWO, "true").user(U_VSC, "sp-images")),
                        annotation(RWO, "false"), warning("ignores " + RWO), warning("Set " + U_RWO + "=\"false\"")),
                row("CDI v1.65+: a regional class for which CDI advertises an images class gets the zonal-class remedy",
                        cluster().cdi("v1.66.0").storageClass("sp", PD, "type", "hyperdisk-balanced-high-availability")
                                .imagesSnapshotClass("sp-images")
                                .profile("sp", userSet(U_RWO, "true").user(U_VSC, "sp-images")),
                        absent(VSC), warning("the driver will refuse them"), warning("zonal class")),
                row("CDI before v1.65: the same regional class draws no CDI warning",
                        cluster().cdi("v1.64.0").storageClass("sp", PD, "type", "hyperdisk-balanced-high-availability")
                                .imagesSnapshotClass("sp-images").profile("sp"),
                        absent(VSC), noWarning("zonal class")),
                row("a user-set VSC stays on an opted-out class, with a warning that it is not used",
                        cluster().hyperdiskClass("sp").snapshotClass("mine", PD)
                                .profile("sp", userSet(RWO, "false").user(VSC, "mine")),
                        annotation(VSC, "mine"), unchanged(VSC), warning("is not used"), effectiveVsc(null)),
                row("VSC follows upstream CDI's U_VSC",
                        cluster().hyperdiskClass("sp").imagesSnapshotClass("sp-images").profile("sp", userSet(U_VSC, "upstream")),
                        annotation(VSC, "upstream"), change(Op.ADD, VSC, "upstream"),
                        chose(SnapshotClassChoice.Upstream.class), nothingCreated()),
                row("a VSC BootSource set follows a changed U_VSC",
                        cluster().hyperdiskClass("sp").imagesSnapshotClass("sp-images")
                                .profile("sp", bootSourceSet(RWO, "true").bootSource(VSC, "sp-images").user(U_VSC, "upstream")),
                        annotation(VSC, "upstream"), change(Op.REPLACE, VSC, "upstream")),
                row("U_VSC adds no VSC without effective RWO",
                        cluster().hyperdiskClass("sp").profile("sp", userSet(RWO, "false").user(U_VSC, "upstream")),
                        absent(VSC)),
                row("among matching classes the one named <storageclass>-images comes first",
                        cluster().hyperdiskClass("sp").profile("sp")
                                .imagesSnapshotClass("a-images").defaultImagesSnapshotClass("default-images")
                                .imagesSnapshotClass("sp-images"),
                        annotation(VSC, "sp-images"), chose(SnapshotClassChoice.Discovered.class)),
                row("without <storageclass>-images the default snapshot class comes next",
                        cluster().hyperdiskClass("sp").profile("sp")
                                .imagesSnapshotClass("a-images").defaultImagesSnapshotClass("z-default"),
                        annotation(VSC, "z-default")),
                row("otherwise the lexicographically smallest name; a default class that does not match is never chosen",
                        cluster().hyperdiskClass("sp").profile("sp")
                                .imagesSnapshotClass("b-images").imagesSnapshotClass("a-images")
                                .snapshotClass("csi-gce-pd-vsc", PD, true, false),
                        annotation(VSC, "a-images")),
                row("a <storageclass>-images class being deleted is passed over",
                        cluster().hyperdiskClass("sp").profile("sp")
                                .deletingImagesSnapshotClass("sp-images").imagesSnapshotClass("z-images"),
                        annotation(VSC, "z-images")),
                row("no match and auto-create on: BootSource creates <storageclass>-images and points VSC at it",
                        cluster().hyperdiskClass("sp").profile("sp").snapshotClass("csi-gce-pd-vsc", PD, true, false),
                        annotation(VSC, "sp-images"), change(Op.ADD, VSC, "sp-images"), creates("sp-images"),
                        createdAsSpecified(), chose(SnapshotClassChoice.ToCreate.class), effectiveVsc("sp-images")),
                row("no match and auto-create off: no VSC, and a warning",
                        cluster().hyperdiskClass("sp").profile("sp").snapshotClass("csi-gce-pd-vsc", PD, true, false),
                        absent(VSC), nothingCreated(), warning("auto-create is off")).with(AUTO_CREATE_OFF),
                row("a class already named <storageclass>-images that does not match is not replaced: no VSC, and a warning",
                        cluster().hyperdiskClass("sp").profile("sp").snapshotClass("sp-images", PD),
                        absent(VSC), nothingCreated(), warning("does not replace it")),
                row("when the chosen class is deleted, BootSource chooses again",
                        cluster().hyperdiskClass("sp").imagesSnapshotClass("new-images")
                                .profile("sp", bootSourceSet(RWO, "true").bootSource(VSC, "old-images")),
                        annotation(VSC, "new-images"), change(Op.REPLACE, VSC, "new-images")),
                row("when the chosen class is being deleted, BootSource chooses again",
                        cluster().hyperdiskClass("sp").deletingImagesSnapshotClass("old-images").imagesSnapshotClass("new-images")
                                .profile("sp", bootSourceSet(RWO, "true").bootSource(VSC, "old-images")),
                        annotation(VSC, "new-images"), change(Op.REPLACE, VSC, "new-images")),
                row("when the chosen class is deleted and nothing is left, the VSC BootSource set is removed",
                        cluster().hyperdiskClass("sp").profile("sp", bootSourceSet(RWO, "true").bootSource(VSC, "old-images")),
                        absent(VSC), change(Op.REMOVE, VSC, null), notRecorded(VSC)).with(AUTO_CREATE_OFF),
                row("when the chosen class is deleted and nothing is left, auto-create makes <storageclass>-images",
                        cluster().hyperdiskClass("sp").profile("sp", bootSourceSet(RWO, "true").bootSource(VSC, "old-images")),
                        annotation(VSC, "sp-images"), change(Op.REPLACE, VSC, "sp-images"), creates("sp-images")),
                row("a chosen class that still matches is kept, even when one that ranks higher appears",
                        cluster().hyperdiskClass("sp").imagesSnapshotClass("a-images").imagesSnapshotClass("sp-images")
                                .profile("sp", bootSourceSet(RWO, "true").bootSource(VSC, "a-images")),
                        annotation(VSC, "a-images"), unchanged(VSC), chose(SnapshotClassChoice.Kept.class)),

                // §3.3 Several classes of one driver share the class created for the first of them
                row("the first StorageClass of a driver by name creates <storageclass>-images",
                        fromYaml("policy/shared-snapshot-class.yaml"),
                        annotation(VSC, "a-images"), creates("a-images")).deciding("a"),
                row("a later StorageClass of the same driver uses the class planned for the first",
                        fromYaml("policy/shared-snapshot-class.yaml"),
                        annotation(VSC, "a-images"), nothingCreated(),
                        chose(SnapshotClassChoice.Planned.class)).deciding("b"),
                row("a class planned for another driver is not shared",
                        cluster().storageClass("a", EXAMPLE_DRIVER).profile("a").hyperdiskClass("b").profile("b"),
                        annotation(VSC, "b-images"), creates("b-images")).deciding("b").with(config(EXAMPLE_KEY_IN_RWO_SET)),
                row("a first class that plans nothing (regional) leaves the next one to create its own",
                        cluster().storageClass("a", PD, "type", "hyperdisk-balanced-high-availability").profile("a")
                                .hyperdiskClass("b").profile("b"),
                        annotation(VSC, "b-images"), creates("b-images")).deciding("b"),

                // §3.4 Effective RWO false: no VSC is added, and a BootSource-set VSC is removed
                row("an admin's RWO opt-out removes the VSC BootSource set and adds none",
                        cluster().hyperdiskClass("sp").imagesSnapshotClass("sp-images")
                                .profile("sp", bootSourceSet(VSC, "sp-images").user(RWO, "false").recordedOnly(RWO, "true")),
                        absent(VSC), change(Op.REMOVE, VSC, null), annotation(RWO, "false"), nothingCreated()),
                row("a key outside the RWO set loses the RWO and VSC BootSource set",
                        cluster().hyperdiskClass("sp").imagesSnapshotClass("sp-images")
                                .profile("sp", bootSourceSet(RWO, "true").bootSource(VSC, "sp-images")),
                        absent(RWO), absent(VSC), change(Op.REMOVE, RWO, null), change(Op.REMOVE, VSC, null))
                        .with(config(HYPERDISK_OUT_OF_RWO_SET)),

                // §3 Where the input lacks the profile, treat it as an empty profile
                row("a missing profile is decided as an empty one, with a warning",
                        cluster().hyperdiskClass("sp").imagesSnapshotClass("sp-images"),
                        profileMissing(), annotation(MIN, "4Gi"), annotation(RWO, "true"), annotation(VSC, "sp-images"),
                        warning("does not exist yet")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decidesAsTheSpecSays(Row row) {
        ProfileDecision decision = row.decide();
        row.expectations().forEach(expectation -> expectation.check(decision));
    }

    @ParameterizedTest(name = "deciding again changes nothing: {0}")
    @MethodSource("rows")
    void decidingAgainOnTheResultChangesNothing(Row row) {
        ProfileDecision first = row.decide();
        ClusterSnapshot after = row.cluster().applying(first).build();

        ProfileDecision again = row.policy().decide(after, row.storageClass()).orElseThrow();

        assertThat(again.changes()).as("changes on the second round").isEmpty();
        assertThat(again.annotationPatch()).as("patch on the second round").isEmpty();
        assertThat(again.annotationsAfter()).isEqualTo(first.annotationsAfter());
        assertThat(again.snapshotClassToCreate()).as("class to create on the second round").isEmpty();
        assertThat(again.effectiveReadWriteOnce()).isEqualTo(first.effectiveReadWriteOnce());
        assertThat(again.effectiveSnapshotClass()).isEqualTo(first.effectiveSnapshotClass());
    }

    @ParameterizedTest(name = "only BootSource's keys change: {0}")
    @MethodSource("rows")
    void onlyThePolicyKeysChangeAndNeverAUsersValue(Row row) {
        ProfileDecision decision = row.decide();
        Map<String, String> before = decision.annotationsBefore();
        ManagedAnnotations record = ManagedAnnotations.readFrom(before);

        assertThat(decision.annotationPatch().keySet()).isSubsetOf(POLICY_KEYS);
        before.forEach((key, value) -> {
            if (!key.equals(RECORD) && !record.owns(key, before)) {
                assertThat(decision.annotationsAfter()).as("user-set " + key).containsEntry(key, value);
            }
        });
        Map<String, String> patch = decision.annotationPatch();
        assertThat(decision.changes()).allSatisfy(change -> {
            assertThat(patch).containsKey(change.key());
            assertThat(patch.get(change.key())).isEqualTo(change.value());
        });
        assertThat(decision.changes().stream().map(AnnotationChange::key))
                .containsExactlyInAnyOrderElementsOf(patch.keySet().stream().filter(key -> !key.equals(RECORD)).toList());
    }

    // --- Single cases that read better on their own ---------------------------------------------------

    @Test
    void aStorageClassThatDoesNotExistHasNoDecision() {
        assertThat(DEFAULTS.decide(cluster().hyperdiskClass("sp").build(), "no-such-class")).isEmpty();
    }

    @Test
    void annotationPatchHoldsOnlyChangedKeysAndNullForRemovedOnes() {
        ClusterSnapshot state = cluster().hyperdiskClass("sp")
                .profile("sp", bootSourceSet(RWO, "true").bootSource(VSC, "old-images").user(MIN, "4Gi")
                        .user("example.com/owner", "team-a"))
                .build();

        ProfileDecision decision = AUTO_CREATE_OFF.decide(state, "sp").orElseThrow();

        Map<String, String> patch = decision.annotationPatch();
        assertThat(patch).containsOnlyKeys(VSC, RECORD);
        assertThat(patch).containsEntry(VSC, null);
        assertThat(patch.get(RECORD)).isEqualTo("{\"" + RWO + "\":\"true\"}");
        assertThat(decision.needsWrite()).isTrue();
    }

    @Test
    void aProfileWithNothingLeftToRecordLosesTheRecord() {
        ClusterSnapshot state = cluster().hyperdiskClass("sp")
                .profile("sp", bootSourceSet(RWO, "true").bootSource(MIN, "4Gi"))
                .build();

        ProfileDecision decision = config(HYPERDISK_OUT_OF_RWO_SET + """
                    minimumPvcSize: null
                """).decide(state, "sp").orElseThrow();

        assertThat(decision.annotationsAfter()).doesNotContainKeys(RWO, MIN, RECORD);
        assertThat(decision.annotationPatch()).containsEntry(RECORD, null).containsEntry(RWO, null).containsEntry(MIN, null);
    }

    @Test
    void rwxStaysInTheProfileOnlyAnnotationsAreDecided() {
        ClusterFixture fixture = fromYaml("policy/rwx-profile.yaml");
        StorageProfile profile = fixture.storageProfile("sp-balanced").orElseThrow();
        String specBefore = String.valueOf(profile.getSpec().getAdditionalProperties());
        String statusBefore = String.valueOf(profile.getStatus().getAdditionalProperties());

        ProfileDecision decision = DEFAULTS.decide(fixture.build(), "sp-balanced").orElseThrow();

        assertThat(decision.effectiveReadWriteOnce()).isTrue();
        assertThat(decision.annotationPatch().keySet()).isSubsetOf(POLICY_KEYS);
        assertThat(String.valueOf(profile.getSpec().getAdditionalProperties())).isEqualTo(specBefore).contains("ReadWriteMany");
        assertThat(String.valueOf(profile.getStatus().getAdditionalProperties())).isEqualTo(statusBefore).contains("ReadWriteMany");
    }

    @Test
    void classesOfOneDriverWithoutAMatchGetExactlyOneCreatedClass() {
        ClusterFixture fixture = fromYaml("policy/shared-snapshot-class.yaml");

        ClusterPlan plan = new ClusterPlanner(DEFAULTS).plan(fixture.build());

        assertThat(plan.snapshotClassesToCreate()).extracting(SnapshotClassToCreate::name).containsExactly("a-images");
        assertThat(plan.storageProfiles()).extracting(ProfileDecision::storageClassName).containsExactly("a", "b");
        assertThat(plan.storageProfiles()).allSatisfy(profile ->
                assertThat(profile.annotationsAfter()).containsEntry(VSC, "a-images"));
    }

    @Test
    void afterTheSharedClassIsCreatedEveryProfileKeepsIt() {
        ClusterFixture fixture = fromYaml("policy/shared-snapshot-class.yaml");
        ClusterPlanner planner = new ClusterPlanner(DEFAULTS);

        ClusterPlan again = planner.plan(fixture.applying(planner.plan(fixture.build())).build());

        assertThat(again.snapshotClassesToCreate()).isEmpty();
        assertThat(again.storageProfiles()).allSatisfy(profile -> {
            assertThat(profile.changes()).isEmpty();
            assertThat(profile.annotationsAfter()).containsEntry(VSC, "a-images");
        });
        assertThat(again.changesAnything()).isFalse();
    }

    @Test
    void thePlannerAndOneProfileAtATimeDecideTheSame() {
        ClusterSnapshot state = fromYaml("policy/shared-snapshot-class.yaml").build();

        ClusterPlan plan = new ClusterPlanner(DEFAULTS).plan(state);

        assertThat(plan.storageProfiles()).allSatisfy(planned ->
                assertThat(DEFAULTS.decide(state, planned.storageClassName()).orElseThrow()).isEqualTo(planned));
    }

    // --- Rows and expectations -------------------------------------------------------------------------

    /** One sentence of the SPEC: a cluster, the StorageClass decided, the policy, and what must hold. */
    record Row(String behaviour, ClusterFixture cluster, String storageClass, BootSourcePolicy policy,
               List<Expectation> expectations) {

        ProfileDecision decide() {
            return policy.decide(cluster.build(), storageClass).orElseThrow();
        }

        @Override
        public String toString() {
            return behaviour;
        }
    }

    static RowBuilder row(String behaviour, ClusterFixture cluster, Expectation... expectations) {
        return new RowBuilder(new Row(behaviour, cluster, "sp", DEFAULTS, Arrays.asList(expectations)));
    }

    /** A row, with the policy or the decided StorageClass changed where the sentence needs it. */
    record RowBuilder(Row row) {

        RowBuilder with(BootSourcePolicy policy) {
            return new RowBuilder(new Row(row.behaviour(), row.cluster(), row.storageClass(), policy, row.expectations()));
        }

        RowBuilder deciding(String storageClass) {
            return new RowBuilder(new Row(row.behaviour(), row.cluster(), storageClass, row.policy(), row.expectations()));
        }
    }

    static Stream<Named<Row>> table(RowBuilder... rows) {
        return Arrays.stream(rows).map(RowBuilder::row).map(row -> Named.of(row.behaviour(), row));
    }

    @FunctionalInterface
    interface Expectation {
        void check(ProfileDecision decision);
    }

    static Expectation key(String key) {
        return d -> assertThat(d.provisionerKey()).as("provisioner key").isEqualTo(new ProvisionerKey(key));
    }

    static Expectation annotation(String key, String value) {
        return d -> assertThat(d.annotationsAfter()).as("annotations after").containsEntry(key, value);
    }

    static Expectation absent(String key) {
        return d -> assertThat(d.annotationsAfter()).as("annotations after").doesNotContainKey(key);
    }

    static Expectation change(Op op, String key, String value) {
        return d -> assertThat(d.changes()).as("changes")
                .anySatisfy(c -> {
                    assertThat(c.op()).isEqualTo(op);
                    assertThat(c.key()).isEqualTo(key);
                    assertThat(c.value()).isEqualTo(value);
                    assertThat(c.reason()).isNotBlank();
                });
    }

    static Expectation unchanged(String key) {
        return d -> {
            assertThat(d.changes()).as("changes").noneMatch(c -> c.key().equals(key));
            assertThat(d.annotationsAfter().get(key)).as(key).isEqualTo(d.annotationsBefore().get(key));
        };
    }

    static Expectation noChanges() {
        return d -> assertThat(d.changes()).as("changes").isEmpty();
    }

    static Expectation warning(String fragment) {
        return d -> assertThat(d.warnings()).as("warnings").anySatisfy(w -> assertThat(w).contains(fragment));
    }

    static Expectation noWarning(String fragment) {
        return decision -> assertThat(decision.warnings()).noneMatch(w -> w.contains(fragment));
    }

    static Expectation noWarnings() {
        return d -> assertThat(d.warnings()).as("warnings").isEmpty();
    }

    static Expectation effectiveRwo(boolean expected) {
        return d -> assertThat(d.effectiveReadWriteOnce()).as("effective RWO").isEqualTo(expected);
    }

    static Expectation effectiveVsc(String expected) {
        return d -> assertThat(d.effectiveSnapshotClass()).as("effective VSC").isEqualTo(Optional.ofNullable(expected));
    }

    static Expectation chose(Class<? extends SnapshotClassChoice> kind) {
        return d -> assertThat(d.snapshotClassChoice()).as("snapshot class choice").isInstanceOf(kind);
    }

    static Expectation creates(String name) {
        return d -> assertThat(d.snapshotClassToCreate()).as("snapshot class to create")
                .hasValueSatisfying(c -> assertThat(c.name()).isEqualTo(name));
    }

    static Expectation nothingCreated() {
        return d -> assertThat(d.snapshotClassToCreate()).as("snapshot class to create").isEmpty();
    }

    /** driver = provisioner, parameters {snapshot-type: images}, deletionPolicy Delete, not default, BootSource's label. */
    static Expectation createdAsSpecified() {
        return d -> {
            SnapshotClassToCreate create = d.snapshotClassToCreate().orElseThrow();
            assertThat(create.driver()).isEqualTo(d.provisioner());
            assertThat(create.parameters()).isEqualTo(Map.of("snapshot-type", "images"));
            VolumeSnapshotClass vsc = create.toVolumeSnapshotClass();
            assertThat(vsc.getDeletionPolicy()).isEqualTo("Delete");
            assertThat(vsc.getMetadata().getLabels()).containsEntry(Keys.MANAGED_BY_LABEL, Keys.MANAGED_BY_VALUE);
            Map<String, String> annotations = Optional.ofNullable(vsc.getMetadata().getAnnotations()).orElse(Map.of());
            assertThat(annotations.getOrDefault(Keys.DEFAULT_SNAPSHOT_CLASS, "false")).isNotEqualToIgnoringCase("true");
        };
    }

    static Expectation recorded(String key, String value) {
        return d -> assertThat(ManagedAnnotations.readFrom(d.annotationsAfter()).values()).as("BootSource's record")
                .containsEntry(key, value);
    }

    static Expectation notRecorded(String key) {
        return d -> assertThat(ManagedAnnotations.readFrom(d.annotationsAfter()).values()).as("BootSource's record")
                .doesNotContainKey(key);
    }

    static Expectation profileMissing() {
        return d -> assertThat(d.profileExists()).as("profile exists").isFalse();
    }
}
