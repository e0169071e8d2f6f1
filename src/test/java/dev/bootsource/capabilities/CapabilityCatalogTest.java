package dev.bootsource.capabilities;

import dev.bootsource.cli.ProvisionerConfigFile;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class CapabilityCatalogTest {

    private static final CapabilityCatalog BUNDLED = CapabilityCatalogLoader.bundled();

    private static final String PD = "pd.csi.storage.gke.io";
    private static final String HYPERDISK = "pd.csi.storage.gke.io/hyperdisk";
    private static final String FSTYPE = "csi.storage.k8s.io/fstype";

    private static ProvisionerFacts facts(CapabilityCatalog catalog, String key) {
        return catalog.factsOf(new ProvisionerKey(key));
    }

    private static Set<String> readWriteOnceKeys(CapabilityCatalog catalog) {
        return catalog.provisioners().entrySet().stream()
                .filter(entry -> entry.getValue().bootSource().readWriteOnce())
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    private static ClaimPropertySet set(String accessMode, String volumeMode) {
        return new ClaimPropertySet(List.of(accessMode), volumeMode);
    }

    @Nested
    class ProvisionerKeyRules {

        static Stream<Arguments> storageClasses() {
            return Stream.of(
                    // GCE Persistent Disk
                    arguments("GKE hyperdisk-balanced is hyperdisk", PD, Map.of("type", "hyperdisk-balanced"), HYPERDISK),
                    arguments("GKE hyperdisk-balanced-high-availability is hyperdisk", PD,
                            Map.of("type", "hyperdisk-balanced-high-availability"), HYPERDISK),
                    arguments("GKE pd-balanced is plain PD", PD, Map.of("type", "pd-balanced"), PD),
                    arguments("GKE without type is plain PD", PD, Map.of(), PD),
                    // AWS EBS
                    arguments("EBS io1", "ebs.csi.aws.com", Map.of("type", "io1"), "ebs.csi.aws.com/io1"),
                    arguments("EBS io2", "ebs.csi.aws.com", Map.of("type", "io2"), "ebs.csi.aws.com/io2"),
                    arguments("EBS gp2 is gp", "ebs.csi.aws.com", Map.of("type", "gp2"), "ebs.csi.aws.com/gp"),
                    arguments("EBS gp3 is gp", "ebs.csi.aws.com", Map.of("type", "gp3"), "ebs.csi.aws.com/gp"),
                    arguments("EBS other type is plain EBS", "ebs.csi.aws.com", Map.of("type", "st1"), "ebs.csi.aws.com"),
                    arguments("EBS without type is plain EBS", "ebs.csi.aws.com", Map.of(), "ebs.csi.aws.com"),
                    // Portworx in-tree
                    arguments("Portworx in-tree NFSv3 sharedv4 options is nfs", "kubernetes.io/portworx-volume",
                            Map.of("sharedv4_mount_options", "vers=3.0,nolock"), "kubernetes.io/portworx-volume/nfs"),
                    arguments("Portworx in-tree options in any order is nfs", "kubernetes.io/portworx-volume",
                            Map.of("sharedv4_mount_options", "nolock,vers=3.0,rw"), "kubernetes.io/portworx-volume/nfs"),
                    arguments("Portworx in-tree NFSv4 options is plain", "kubernetes.io/portworx-volume",
                            Map.of("sharedv4_mount_options", "vers=4.0,nolock"), "kubernetes.io/portworx-volume"),
                    arguments("Portworx in-tree without options is plain", "kubernetes.io/portworx-volume",
                            Map.of(), "kubernetes.io/portworx-volume"),
                    // Portworx CSI
                    arguments("Portworx backend pure_block", "pxd.portworx.com",
                            Map.of("backend", "pure_block"), "pxd.portworx.com/pure_block"),
                    arguments("Portworx backend pure_fa_file", "pxd.portworx.com",
                            Map.of("backend", "pure_fa_file"), "pxd.portworx.com/pure_fa_file"),
                    arguments("Portworx other backend ignores sharedv4 options", "pxd.portworx.com",
                            Map.of("backend", "other", "sharedv4_mount_options", "vers=3.0,nolock"), "pxd.portworx.com"),
                    arguments("Portworx without backend and NFSv3 sharedv4 options is nfs", "pxd.portworx.com",
                            Map.of("sharedv4_mount_options", "vers=3.0,nolock"), "pxd.portworx.com/nfs"),
                    arguments("Portworx sharedv4 options without nolock is plain", "pxd.portworx.com",
                            Map.of("sharedv4_mount_options", "vers=3.0"), "pxd.portworx.com"),
                    arguments("Portworx without parameters is plain", "pxd.portworx.com", Map.of(), "pxd.portworx.com"),
                    // NetApp Trident
                    arguments("Trident ontap-nas", "csi.trident.netapp.io",
                            Map.of("backendType", "ontap-nas"), "csi.trident.netapp.io/ontap-nas"),
                    arguments("Trident ontap-nas prefix (ontap-nas-economy)", "csi.trident.netapp.io",
                            Map.of("backendType", "ontap-nas-economy"), "csi.trident.netapp.io/ontap-nas"),
                    arguments("Trident ontap-san", "csi.trident.netapp.io",
                            Map.of("backendType", "ontap-san"), "csi.trident.netapp.io/ontap-san"),
                    arguments("Trident ontap-san prefix (ontap-san-economy)", "csi.trident.netapp.io",
                            Map.of("backendType", "ontap-san-economy"), "csi.trident.netapp.io/ontap-san"),
                    arguments("Trident GCNV with flex selector", "csi.trident.netapp.io",
                            Map.of("backendType", "google-cloud-netapp-volumes", "selector", "a=b; performance=flex"),
                            "csi.trident.netapp.io/gcnv-flex"),
                    arguments("Trident GCNV with comma separated flex selector", "csi.trident.netapp.io",
                            Map.of("backendType", "google-cloud-netapp-volumes", "selector", "performance=flex , a=b"),
                            "csi.trident.netapp.io/gcnv-flex"),
                    arguments("Trident GCNV with other performance is unknown", "csi.trident.netapp.io",
                            Map.of("backendType", "google-cloud-netapp-volumes", "selector", "performance=premium"), "UNKNOWN"),
                    arguments("Trident GCNV without selector is unknown", "csi.trident.netapp.io",
                            Map.of("backendType", "google-cloud-netapp-volumes"), "UNKNOWN"),
                    arguments("Trident flex selector on other backend is unknown", "csi.trident.netapp.io",
                            Map.of("backendType", "azure-netapp-files", "selector", "performance=flex"), "UNKNOWN"),
                    arguments("Trident without backend type is unknown", "csi.trident.netapp.io", Map.of(), "UNKNOWN"),
                    // Infinidat
                    arguments("InfiniBox iscsi", "infinibox-csi-driver",
                            Map.of("storage_protocol", "iscsi"), "infinibox-csi-driver/iscsiorfibrechannel"),
                    arguments("InfiniBox fc", "infinibox-csi-driver",
                            Map.of("storage_protocol", "fc"), "infinibox-csi-driver/iscsiorfibrechannel"),
                    arguments("InfiniBox nvme", "infinibox-csi-driver",
                            Map.of("storage_protocol", "nvme"), "infinibox-csi-driver/nvme"),
                    arguments("InfiniBox nfs", "infinibox-csi-driver",
                            Map.of("storage_protocol", "nfs"), "infinibox-csi-driver/nfs"),
                    arguments("InfiniBox nfs_treeq", "infinibox-csi-driver",
                            Map.of("storage_protocol", "nfs_treeq"), "infinibox-csi-driver/nfs"),
                    arguments("InfiniBox other protocol is unknown", "infinibox-csi-driver",
                            Map.of("storage_protocol", "smb"), "UNKNOWN"),
                    arguments("InfiniBox without protocol is unknown", "infinibox-csi-driver", Map.of(), "UNKNOWN"),
                    // vSphere
                    arguments("vSphere nfs4 fstype", "csi.vsphere.vmware.com",
                            Map.of(FSTYPE, "nfs4"), "csi.vsphere.vmware.com/nfs"),
                    arguments("vSphere NFS4 fstype ignores case", "csi.vsphere.vmware.com",
                            Map.of(FSTYPE, "NFS4"), "csi.vsphere.vmware.com/nfs"),
                    arguments("vSphere ext4 fstype is plain", "csi.vsphere.vmware.com",
                            Map.of(FSTYPE, "ext4"), "csi.vsphere.vmware.com"),
                    arguments("vSphere without fstype is plain", "csi.vsphere.vmware.com", Map.of(), "csi.vsphere.vmware.com"),
                    // Dell
                    arguments("Dell Unity NFS protocol ignores case", "csi-unity.dellemc.com",
                            Map.of("protocol", "NFS"), "csi-unity.dellemc.com/nfs"),
                    arguments("Dell Unity iSCSI is plain", "csi-unity.dellemc.com",
                            Map.of("protocol", "iSCSI"), "csi-unity.dellemc.com"),
                    arguments("Dell PowerStore nfs fstype", "csi-powerstore.dellemc.com",
                            Map.of(FSTYPE, "nfs"), "csi-powerstore.dellemc.com/nfs"),
                    arguments("Dell PowerStore NFS fstype ignores case", "csi-powerstore.dellemc.com",
                            Map.of(FSTYPE, "NFS"), "csi-powerstore.dellemc.com/nfs"),
                    arguments("Dell PowerStore xfs is plain", "csi-powerstore.dellemc.com",
                            Map.of(FSTYPE, "xfs"), "csi-powerstore.dellemc.com"),
                    arguments("Dell PowerStore nfs4 is plain (exact match)", "csi-powerstore.dellemc.com",
                            Map.of(FSTYPE, "nfs4"), "csi-powerstore.dellemc.com"),
                    arguments("Dell PowerFlex nfs fstype", "csi-vxflexos.dellemc.com",
                            Map.of(FSTYPE, "Nfs"), "csi-vxflexos.dellemc.com/nfs"),
                    arguments("Dell PowerFlex ext4 is plain", "csi-vxflexos.dellemc.com",
                            Map.of(FSTYPE, "ext4"), "csi-vxflexos.dellemc.com"),
                    arguments("Dell PowerMax nfs fstype", "csi-powermax.dellemc.com",
                            Map.of(FSTYPE, "nfs"), "csi-powermax.dellemc.com/nfs"),
                    arguments("Dell PowerMax without fstype is plain", "csi-powermax.dellemc.com",
                            Map.of(), "csi-powermax.dellemc.com"),
                    // Huawei
                    arguments("Huawei nfs protocol", "csi.huawei.com", Map.of("protocol", "nfs"), "csi.huawei.com/nfs"),
                    arguments("Huawei NFS protocol is case-sensitive", "csi.huawei.com",
                            Map.of("protocol", "NFS"), "csi.huawei.com"),
                    arguments("Huawei iscsi is plain", "csi.huawei.com", Map.of("protocol", "iscsi"), "csi.huawei.com"),
                    // Longhorn
                    arguments("Longhorn migratable wins over nfsOptions", "driver.longhorn.io",
                            Map.of("migratable", "true", "nfsOptions", "vers=4.2"), "driver.longhorn.io/migratable"),
                    arguments("Longhorn nfsOptions", "driver.longhorn.io",
                            Map.of("migratable", "false", "nfsOptions", "vers=4.2", "fsType", "ext4"), "driver.longhorn.io/nfs"),
                    arguments("Longhorn fsType", "driver.longhorn.io",
                            Map.of("nfsOptions", "", "fsType", "ext4"), "driver.longhorn.io/fs"),
                    arguments("Longhorn empty fsType is plain", "driver.longhorn.io",
                            Map.of("fsType", ""), "driver.longhorn.io"),
                    arguments("Longhorn plain", "driver.longhorn.io", Map.of(), "driver.longhorn.io"),
                    // hostpath-provisioner
                    arguments("hostpath-provisioner with overlayCSI is overlay", "kubevirt.io.hostpath-provisioner",
                            Map.of("overlayCSI", "true"), "kubevirt.io.hostpath-provisioner/overlay"),
                    arguments("hostpath-provisioner with an empty overlayCSI is overlay", "kubevirt.io.hostpath-provisioner",
                            Map.of("overlayCSI", ""), "kubevirt.io.hostpath-provisioner/overlay"),
                    arguments("hostpath-provisioner without overlayCSI is plain", "kubevirt.io.hostpath-provisioner",
                            Map.of("storagePool", "local"), "kubevirt.io.hostpath-provisioner"),
                    arguments("legacy hostpath-provisioner ignores overlayCSI", "kubevirt.io/hostpath-provisioner",
                            Map.of("overlayCSI", "true"), "kubevirt.io/hostpath-provisioner"),
                    // Synology
                    arguments("Synology iscsi", "csi.san.synology.com",
                            Map.of("protocol", "iscsi"), "csi.san.synology.com/iscsi"),
                    arguments("Synology empty protocol is iscsi", "csi.san.synology.com",
                            Map.of("protocol", ""), "csi.san.synology.com/iscsi"),
                    arguments("Synology without protocol is iscsi", "csi.san.synology.com",
                            Map.of(), "csi.san.synology.com/iscsi"),
                    arguments("Synology smb", "csi.san.synology.com",
                            Map.of("protocol", "smb"), "csi.san.synology.com/smb"),
                    arguments("Synology nfs", "csi.san.synology.com",
                            Map.of("protocol", "nfs"), "csi.san.synology.com/nfs"),
                    arguments("Synology nfs_treeq is nfs", "csi.san.synology.com",
                            Map.of("protocol", "nfs_treeq"), "csi.san.synology.com/nfs"),
                    arguments("Synology ISCSI is unknown (case-sensitive)", "csi.san.synology.com",
                            Map.of("protocol", "ISCSI"), "UNKNOWN"),
                    arguments("Synology other protocol is unknown", "csi.san.synology.com",
                            Map.of("protocol", "fc"), "UNKNOWN"),
                    // IBM VPC File
                    arguments("IBM VPC File rfs", "vpc.file.csi.ibm.io",
                            Map.of("profile", "rfs"), "vpc.file.csi.ibm.io/rfs"),
                    arguments("IBM VPC File rfs with vmState true is rfs-rwo", "vpc.file.csi.ibm.io",
                            Map.of("profile", "rfs", "vmState", "true"), "vpc.file.csi.ibm.io/rfs-rwo"),
                    arguments("IBM VPC File rfs with vmState false is rfs", "vpc.file.csi.ibm.io",
                            Map.of("profile", "rfs", "vmState", "false"), "vpc.file.csi.ibm.io/rfs"),
                    arguments("IBM VPC File dp2", "vpc.file.csi.ibm.io",
                            Map.of("profile", "dp2"), "vpc.file.csi.ibm.io/dp2"),
                    arguments("IBM VPC File dp2 with vmState true is dp2-rwo", "vpc.file.csi.ibm.io",
                            Map.of("profile", "dp2", "vmState", "true"), "vpc.file.csi.ibm.io/dp2-rwo"),
                    arguments("IBM VPC File other profile is plain, vmState or not", "vpc.file.csi.ibm.io",
                            Map.of("profile", "tier-5iops", "vmState", "true"), "vpc.file.csi.ibm.io"),
                    arguments("IBM VPC File vmState without profile is plain", "vpc.file.csi.ibm.io",
                            Map.of("vmState", "true"), "vpc.file.csi.ibm.io"),
                    // No rules
                    arguments("a provisioner without rules is its own key", "rbd.csi.ceph.com",
                            Map.of("type", "hyperdisk-balanced"), "rbd.csi.ceph.com"),
                    arguments("an unknown provisioner is its own key", "example.com/csi", Map.of("a", "b"), "example.com/csi"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("storageClasses")
        void storageClassMapsToProvisionerKey(String behaviour, String provisioner, Map<String, String> parameters,
                                              String expectedKey) {
            assertThat(BUNDLED.keyOf(provisioner, parameters)).isEqualTo(new ProvisionerKey(expectedKey));
        }

        @ParameterizedTest(name = "null parameters: {0} is {1}")
        @CsvSource({
                "pd.csi.storage.gke.io,         pd.csi.storage.gke.io",
                "ebs.csi.aws.com,               ebs.csi.aws.com",
                "pxd.portworx.com,              pxd.portworx.com",
                "csi.trident.netapp.io,         UNKNOWN",
                "infinibox-csi-driver,          UNKNOWN",
                "csi.vsphere.vmware.com,        csi.vsphere.vmware.com",
                "driver.longhorn.io,            driver.longhorn.io",
                "rbd.csi.ceph.com,              rbd.csi.ceph.com",
                "kubevirt.io.hostpath-provisioner, kubevirt.io.hostpath-provisioner",
                "csi.san.synology.com,          csi.san.synology.com/iscsi",
                "vpc.file.csi.ibm.io,           vpc.file.csi.ibm.io",
        })
        void nullParametersGiveTheDefaultKey(String provisioner, String expectedKey) {
            assertThat(BUNDLED.keyOf(provisioner, null)).isEqualTo(new ProvisionerKey(expectedKey));
        }

        @Test
        void everyRuleKeyHasFactsExceptUnknown() {
            Set<String> ruleKeys = BUNDLED.provisionerKeyRules().values().stream()
                    .flatMap(List::stream)
                    .map(ProvisionerKeyRule::key)
                    .collect(Collectors.toSet());
            assertThat(ruleKeys).contains("UNKNOWN");
            ruleKeys.remove("UNKNOWN");
            assertThat(BUNDLED.provisioners().keySet()).containsAll(ruleKeys);
            assertThat(BUNDLED.knownFactsOf(new ProvisionerKey("UNKNOWN"))).isEmpty();
        }
    }

    /**
     * The bundled data carries upstream CDI's provisioner knowledge at one commit. The numbers and names
     * here are CDI's at that commit; moving the data to a newer commit means updating them together.
     */
    @Nested
    class ParityWithCdi {

        private static final String CDI_COMMIT = "c07cdb6";

        /** CDI's recognised provisioner keys: those it knows claim property sets for. */
        private static final Set<String> CDI_PROVISIONER_KEYS = Set.of(
                "kubevirt.io.hostpath-provisioner", "kubevirt.io.hostpath-provisioner/overlay",
                "kubevirt.io/hostpath-provisioner", "k8s.io/minikube-hostpath",
                "nfs.csi.k8s.io", "k8s-sigs.io/nfs-subdir-external-provisioner",
                "kubernetes.io/rbd", "rbd.csi.ceph.com", "rook-ceph.rbd.csi.ceph.com",
                "openshift-storage.rbd.csi.ceph.com",
                "cephfs.csi.ceph.com", "rook-ceph.cephfs.csi.ceph.com", "openshift-storage.cephfs.csi.ceph.com",
                "linstor.csi.linbit.com",
                "csi-unity.dellemc.com", "csi-unity.dellemc.com/nfs",
                "csi-vxflexos.dellemc.com", "csi-vxflexos.dellemc.com/nfs",
                "csi-isilon.dellemc.com",
                "csi-powermax.dellemc.com", "csi-powermax.dellemc.com/nfs",
                "csi-powerstore.dellemc.com", "csi-powerstore.dellemc.com/nfs",
                "kubernetes.io/storageos", "storageos",
                "kubernetes.io/aws-ebs", "ebs.csi.aws.com", "ebs.csi.aws.com/io1", "ebs.csi.aws.com/io2",
                "ebs.csi.aws.com/gp",
                "efs.csi.aws.com",
                "kubernetes.io/azure-disk", "disk.csi.azure.com",
                "kubernetes.io/azure-file", "file.csi.azure.com",
                "kubernetes.io/gce-pd", PD, HYPERDISK,
                "hspc.csi.hitachi.com",
                "csi.hpe.com",
                "spectrumscale.csi.ibm.com",
                "block.csi.ibm.com",
                "vpc.block.csi.ibm.io",
                "vpc.file.csi.ibm.io", "vpc.file.csi.ibm.io/dp2", "vpc.file.csi.ibm.io/dp2-rwo",
                "vpc.file.csi.ibm.io/rfs", "vpc.file.csi.ibm.io/rfs-rwo",
                "kubernetes.io/portworx-volume/nfs", "kubernetes.io/portworx-volume",
                "pxd.portworx.com/nfs", "pxd.portworx.com", "pxd.portworx.com/pure_block",
                "pxd.portworx.com/pure_fa_file",
                "csi.trident.netapp.io/ontap-nas", "csi.trident.netapp.io/ontap-san",
                "csi.trident.netapp.io/gcnv-flex",
                "topolvm.cybozu.com", "topolvm.io",
                "cinder.csi.openstack.org",
                "manila.csi.openstack.org",
                "csi.ovirt.org",
                "infinibox-csi-driver/iscsiorfibrechannel", "infinibox-csi-driver/nvme", "infinibox-csi-driver/nfs",
                "csi.vsphere.vmware.com", "csi.vsphere.vmware.com/nfs",
                "csi.huawei.com", "csi.huawei.com/nfs",
                "kubesan.gitlab.io",
                "driver.longhorn.io", "driver.longhorn.io/migratable", "driver.longhorn.io/nfs",
                "driver.longhorn.io/fs",
                "blockvolume.csi.oraclecloud.com",
                "csi.san.synology.com/iscsi", "csi.san.synology.com/nfs", "csi.san.synology.com/smb",
                "directpv-min-io");

        /** Provisioners whose StorageClass parameters pick the key. */
        private static final Set<String> CDI_PROVISIONERS_WITH_KEY_RULES = Set.of(
                "kubevirt.io.hostpath-provisioner", "kubernetes.io/portworx-volume", "pxd.portworx.com",
                "csi.trident.netapp.io", "infinibox-csi-driver", "csi.vsphere.vmware.com",
                "csi-unity.dellemc.com", "csi-powerstore.dellemc.com", "csi-vxflexos.dellemc.com",
                "csi-powermax.dellemc.com", "csi.huawei.com", "driver.longhorn.io", "ebs.csi.aws.com",
                PD, "csi.san.synology.com", "vpc.file.csi.ibm.io");

        private static Set<String> recognisedKeys(CapabilityCatalog catalog) {
            return catalog.provisioners().entrySet().stream()
                    .filter(entry -> !entry.getValue().claimPropertySets().isEmpty())
                    .map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
        }

        @Test
        void dataNamesTheCdiCommitItMatches() {
            assertThat(BUNDLED.cdiCommit()).isEqualTo(CDI_COMMIT);
            assertThat(BUNDLED.cdiCommitIfKnown()).hasValue(CDI_COMMIT);
        }

        @Test
        void recognisesCdis79ProvisionerKeys() {
            assertThat(CDI_PROVISIONER_KEYS).hasSize(79);
            assertThat(recognisedKeys(BUNDLED)).containsExactlyInAnyOrderElementsOf(CDI_PROVISIONER_KEYS);
        }

        @Test
        void hasCdis16KeyRules() {
            assertThat(CDI_PROVISIONERS_WITH_KEY_RULES).hasSize(16);
            assertThat(BUNDLED.provisionerKeyRules().keySet())
                    .containsExactlyInAnyOrderElementsOf(CDI_PROVISIONERS_WITH_KEY_RULES);
        }

        @Test
        void hpeXpIsKnownOnlyForItsMinimumSize() {
            assertThat(BUNDLED.provisioners().keySet())
                    .containsExactlyInAnyOrderElementsOf(Stream.concat(CDI_PROVISIONER_KEYS.stream(),
                            Stream.of("xspc.csi.hpe.com")).toList());
            ProvisionerFacts hpeXp = facts(BUNDLED, "xspc.csi.hpe.com");
            assertThat(hpeXp.minimumPvcSizeIfKnown()).hasValue("1Gi");
            assertThat(hpeXp.claimPropertySets()).isEmpty();
            assertThat(hpeXp.cloneStrategy()).isNull();
            assertThat(hpeXp.sourceFormat()).isNull();
        }

        @Test
        void unsupportedProvisionersAreExactlyCdis() {
            assertThat(BUNDLED.unsupportedProvisioners()).containsExactlyInAnyOrder(
                    "openshift-storage.ceph.rook.io/bucket", "rook-ceph.ceph.rook.io/bucket",
                    "openshift-storage.noobaa.io/obc", "stork-snapshot", "kubernetes.io/no-provisioner");
        }

        @Test
        void aCatalogBuiltWithoutACommitNamesNone() {
            assertThat(new CapabilityCatalog(Map.of(), Map.of(), Set.of()).cdiCommitIfKnown()).isEmpty();
            assertThat(new CapabilityCatalog(Map.of(), Map.of(), Set.of(), " ").cdiCommitIfKnown()).isEmpty();
        }
    }

    @Nested
    class FactsLookups {

        @ParameterizedTest(name = "minimum PVC size of {0} is {1}")
        @CsvSource(nullValues = "none", value = {
                "pd.csi.storage.gke.io/hyperdisk, 4Gi",
                "pd.csi.storage.gke.io,           none",
                "ebs.csi.aws.com/io1,             4Gi",
                "ebs.csi.aws.com/io2,             4Gi",
                "ebs.csi.aws.com/gp,              1Gi",
                "ebs.csi.aws.com,                 none",
                "csi.trident.netapp.io/gcnv-flex, 1Gi",
                "hspc.csi.hitachi.com,            1Gi",
                "xspc.csi.hpe.com,                1Gi",
                "csi.hpe.com,                     none",
                "csi.san.synology.com/iscsi,      1Gi",
                "csi.san.synology.com/nfs,        1Gi",
                "csi.san.synology.com/smb,        1Gi",
                "vpc.file.csi.ibm.io/rfs,         1Gi",
                "vpc.file.csi.ibm.io/rfs-rwo,     1Gi",
                "vpc.file.csi.ibm.io/dp2,         10Gi",
                "vpc.file.csi.ibm.io/dp2-rwo,     10Gi",
                "vpc.file.csi.ibm.io,             none",
                "vpc.block.csi.ibm.io,            none",
                "directpv-min-io,                 none",
                "example.com/unknown,             none",
        })
        void minimumPvcSize(String key, String expected) {
            assertThat(facts(BUNDLED, key).minimumPvcSizeIfKnown()).isEqualTo(java.util.Optional.ofNullable(expected));
        }

        @Test
        void readWriteOnceSetIsExactlyTheGcpPdKeys() {
            assertThat(readWriteOnceKeys(BUNDLED)).containsExactlyInAnyOrder(PD, HYPERDISK);
        }

        @ParameterizedTest(name = "{0} boot-source snapshot classes carry snapshot-type=images")
        @ValueSource(strings = {PD, HYPERDISK})
        void matcherParametersAreImagesSnapshots(String key) {
            assertThat(facts(BUNDLED, key).bootSource().snapshotClassParameters())
                    .containsExactly(Map.entry("snapshot-type", "images"));
        }

        @ParameterizedTest(name = "{0} has no boot-source snapshot class parameters")
        @ValueSource(strings = {"kubernetes.io/gce-pd", "rook-ceph.rbd.csi.ceph.com", "example.com/unknown"})
        void otherKeysHaveNoMatcherParameters(String key) {
            assertThat(facts(BUNDLED, key).bootSource()).satisfies(bootSource -> {
                assertThat(bootSource.readWriteOnce()).isFalse();
                assertThat(bootSource.snapshotClassParameters()).isEmpty();
            });
        }

        static Stream<Arguments> gcpStorageClasses() {
            return Stream.of(
                    arguments("replication-type regional-pd is regional", Map.of("replication-type", "regional-pd"),
                            "regional-pd"),
                    arguments("replication-type REGIONAL-PD is regional", Map.of("replication-type", "REGIONAL-PD"),
                            "regional-pd"),
                    arguments("pd-balanced regional-pd is regional",
                            Map.of("type", "pd-balanced", "replication-type", "regional-pd"), "regional-pd"),
                    arguments("type hyperdisk-balanced-high-availability is regional",
                            Map.of("type", "hyperdisk-balanced-high-availability"), "hyperdisk-balanced-high-availability"),
                    arguments("replication-type none is zonal", Map.of("replication-type", "none"), null),
                    arguments("pd-balanced is zonal", Map.of("type", "pd-balanced"), null),
                    arguments("hyperdisk-balanced is zonal", Map.of("type", "hyperdisk-balanced"), null),
                    arguments("no parameters is zonal", Map.of(), null));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("gcpStorageClasses")
        void regionalGcpClassesGetNoImagesSnapshotClass(String behaviour, Map<String, String> parameters,
                                                        String reasonMentions) {
            ProvisionerFacts facts = BUNDLED.factsOf(BUNDLED.keyOf(PD, parameters));
            assertThat(facts.bootSource().readWriteOnce()).isTrue();
            var reason = facts.bootSource().imagesSnapshotUnsupported(parameters);
            if (reasonMentions == null) {
                assertThat(reason).isEmpty();
            } else {
                assertThat(reason).hasValueSatisfying(text -> assertThat(text).contains("regional", reasonMentions));
            }
        }

        @ParameterizedTest(name = "clone strategy of {0} is {1}")
        @CsvSource(nullValues = "none", value = {
                "pd.csi.storage.gke.io,           snapshot",
                "pd.csi.storage.gke.io/hyperdisk, snapshot",
                "csi.trident.netapp.io/ontap-san, snapshot",
                "rook-ceph.rbd.csi.ceph.com,      csi-clone",
                "rbd.csi.ceph.com,                csi-clone",
                "blockvolume.csi.oraclecloud.com, csi-clone",
                "pxd.portworx.com/pure_block,     csi-clone",
                "pxd.portworx.com/pure_fa_file,   csi-clone",
                "rook-ceph.cephfs.csi.ceph.com,   csi-clone",
                "csi.san.synology.com/iscsi,      csi-clone",
                "csi.san.synology.com/nfs,        csi-clone",
                "csi.san.synology.com/smb,        csi-clone",
                "csi-isilon.dellemc.com,          csi-clone",
                "kubesan.gitlab.io,               csi-clone",
                "hspc.csi.hitachi.com,            csi-clone",
                "vpc.file.csi.ibm.io,             snapshot",
                "vpc.file.csi.ibm.io/dp2,         snapshot",
                "vpc.file.csi.ibm.io/dp2-rwo,     snapshot",
                "vpc.file.csi.ibm.io/rfs,         snapshot",
                "vpc.file.csi.ibm.io/rfs-rwo,     snapshot",
                "csi-powerstore.dellemc.com,      copy",
                "topolvm.io,                      copy",
                "vpc.block.csi.ibm.io,            copy",
                "kubernetes.io/rbd,               none",
                "kubernetes.io/gce-pd,            none",
                "kubevirt.io.hostpath-provisioner/overlay, none",
                "directpv-min-io,                 none",
        })
        void cloneStrategy(String key, String expected) {
            assertThat(facts(BUNDLED, key).cloneStrategy()).isEqualTo(expected);
        }

        @ParameterizedTest(name = "source format of {0} is {1}")
        @CsvSource(nullValues = "none", value = {
                "pd.csi.storage.gke.io,              snapshot",
                "openshift-storage.rbd.csi.ceph.com, snapshot",
                "csi.trident.netapp.io/gcnv-flex,    snapshot",
                "vpc.file.csi.ibm.io,                snapshot",
                "vpc.file.csi.ibm.io/dp2,            snapshot",
                "vpc.file.csi.ibm.io/dp2-rwo,        snapshot",
                "vpc.file.csi.ibm.io/rfs,            snapshot",
                "vpc.file.csi.ibm.io/rfs-rwo,        snapshot",
                "rbd.csi.ceph.com,                   none",
                "rook-ceph.cephfs.csi.ceph.com,      none",
                "vpc.block.csi.ibm.io,               none",
                "csi.san.synology.com/iscsi,         none",
                "csi.hpe.com,                        none",
        })
        void sourceFormat(String key, String expected) {
            assertThat(facts(BUNDLED, key).sourceFormat()).isEqualTo(expected);
        }

        static Stream<Arguments> claimPropertySets() {
            String rwo = "ReadWriteOnce";
            String rox = "ReadOnlyMany";
            String rwx = "ReadWriteMany";
            return Stream.of(
                    arguments(PD, List.of(set(rwo, "Block"), set(rwo, "Filesystem"))),
                    arguments("kubernetes.io/gce-pd", List.of(set(rwo, "Block"), set(rwo, "Filesystem"))),
                    arguments("cephfs.csi.ceph.com", List.of(set(rwx, "Filesystem"), set(rwo, "Filesystem"))),
                    arguments("rook-ceph.cephfs.csi.ceph.com", List.of(set(rwx, "Filesystem"), set(rwo, "Filesystem"))),
                    arguments("openshift-storage.cephfs.csi.ceph.com",
                            List.of(set(rwx, "Filesystem"), set(rwo, "Filesystem"))),
                    arguments("kubevirt.io.hostpath-provisioner/overlay", List.of(set(rwx, "Filesystem"))),
                    arguments("kubevirt.io.hostpath-provisioner", List.of(set(rwo, "Filesystem"))),
                    arguments("csi.san.synology.com/iscsi",
                            List.of(set(rwx, "Block"), set(rwo, "Block"), set(rwo, "Filesystem"))),
                    arguments("csi.san.synology.com/nfs", List.of(set(rwx, "Filesystem"), set(rwo, "Filesystem"))),
                    arguments("csi.san.synology.com/smb", List.of(set(rwx, "Filesystem"), set(rwo, "Filesystem"))),
                    arguments("directpv-min-io", List.of(set(rwo, "Filesystem"))),
                    arguments("vpc.block.csi.ibm.io", List.of(set(rwo, "Block"), set(rwo, "Filesystem"))),
                    arguments("vpc.file.csi.ibm.io", List.of(set(rwx, "Filesystem"), set(rwo, "Filesystem"))),
                    arguments("vpc.file.csi.ibm.io/dp2", List.of(set(rwx, "Filesystem"), set(rwo, "Filesystem"))),
                    arguments("vpc.file.csi.ibm.io/dp2-rwo", List.of(set(rwo, "Filesystem"))),
                    arguments("vpc.file.csi.ibm.io/rfs", List.of(set(rwx, "Filesystem"), set(rwo, "Filesystem"))),
                    arguments("vpc.file.csi.ibm.io/rfs-rwo", List.of(set(rwo, "Filesystem"))),
                    arguments(HYPERDISK, List.of(set(rwx, "Block"), set(rwo, "Block"), set(rwo, "Filesystem"))),
                    arguments("kubesan.gitlab.io",
                            List.of(set(rwx, "Block"), set(rox, "Block"), set(rwo, "Block"), set(rwo, "Filesystem"))),
                    arguments("csi-powermax.dellemc.com",
                            List.of(set(rwx, "Block"), set(rwo, "Block"), set(rwo, "Filesystem"), set(rox, "Block"))),
                    arguments("linstor.csi.linbit.com", List.of(set(rwx, "Block"), set(rwo, "Block"),
                            set(rwo, "Filesystem"), set(rox, "Block"), set(rox, "Filesystem"))),
                    arguments("csi.huawei.com/nfs", List.of(set(rwx, "Filesystem"), set(rwo, "Filesystem"),
                            set(rox, "Filesystem"))),
                    arguments("pxd.portworx.com", List.of(set(rwx, "Block"), set(rwx, "Filesystem"),
                            set(rwo, "Block"), set(rwo, "Filesystem"))),
                    arguments("csi.trident.netapp.io/ontap-san", List.of(set(rwx, "Block"))),
                    arguments("nfs.csi.k8s.io", List.of(set(rwx, "Filesystem"))),
                    arguments("example.com/unknown", List.of()));
        }

        @ParameterizedTest(name = "claim property sets of {0}")
        @MethodSource("claimPropertySets")
        void claimPropertySetsInCdiOrder(String key, List<ClaimPropertySet> expected) {
            assertThat(facts(BUNDLED, key).claimPropertySets()).containsExactlyElementsOf(expected);
        }

        @ParameterizedTest(name = "{0} is unsupported")
        @ValueSource(strings = {"openshift-storage.ceph.rook.io/bucket", "rook-ceph.ceph.rook.io/bucket",
                "openshift-storage.noobaa.io/obc", "stork-snapshot", "kubernetes.io/no-provisioner"})
        void unsupportedProvisioners(String provisioner) {
            assertThat(BUNDLED.isUnsupported(provisioner)).isTrue();
        }

        @ParameterizedTest(name = "{0} is supported")
        @ValueSource(strings = {PD, "rbd.csi.ceph.com", "example.com/csi"})
        void supportedProvisioners(String provisioner) {
            assertThat(BUNDLED.isUnsupported(provisioner)).isFalse();
        }
    }

    @Nested
    class Overrides {

        @TempDir
        Path dir;

        private Path write(String content) throws IOException {
            return Files.writeString(dir.resolve("provisioners.yaml"), content);
        }

        @Test
        void addsANewKeyWithBootSourceFacts() throws IOException {
            CapabilityCatalog catalog = ProvisionerConfigFile.load(write("""
                    provisionerKeyRules:
                      example.com/csi:
                        - key: example.com/csi/fast
                          when:
                            - {parameter: tier, equals: [fast]}
                    provisioners:
                      example.com/csi/fast:
                        claimPropertySets:
                          - {accessModes: [ReadWriteOnce], volumeMode: Block}
                        minimumPvcSize: 2Gi
                        bootSource:
                          readWriteOnce: true
                          snapshotClassParameters:
                            kind: golden
                    """));

            ProvisionerKey key = catalog.keyOf("example.com/csi", Map.of("tier", "fast"));
            assertThat(key).isEqualTo(new ProvisionerKey("example.com/csi/fast"));
            assertThat(catalog.keyOf("example.com/csi", Map.of("tier", "slow"))).isEqualTo(new ProvisionerKey("example.com/csi"));
            ProvisionerFacts facts = catalog.factsOf(key);
            assertThat(facts.minimumPvcSizeIfKnown()).hasValue("2Gi");
            assertThat(facts.claimPropertySets()).containsExactly(set("ReadWriteOnce", "Block"));
            assertThat(facts.bootSource().snapshotClassParameters()).containsExactly(Map.entry("kind", "golden"));
            assertThat(readWriteOnceKeys(catalog)).containsExactlyInAnyOrder(PD, HYPERDISK, "example.com/csi/fast");
            assertThat(catalog.provisioners()).hasSize(BUNDLED.provisioners().size() + 1);
            assertThat(catalog.provisionerKeyRules()).containsAllEntriesOf(BUNDLED.provisionerKeyRules());
        }

        @Test
        void changesOnlyTheMinimumPvcSizeOfAnExistingKey() throws IOException {
            CapabilityCatalog catalog = ProvisionerConfigFile.load(write("""
                    provisioners:
                      pd.csi.storage.gke.io/hyperdisk:
                        minimumPvcSize: 10Gi
                    """));

            ProvisionerFacts bundled = facts(BUNDLED, HYPERDISK);
            ProvisionerFacts changed = facts(catalog, HYPERDISK);
            assertThat(changed.minimumPvcSizeIfKnown()).hasValue("10Gi");
            assertThat(changed).usingRecursiveComparison().ignoringFields("minimumPvcSize").isEqualTo(bundled);
            assertThat(catalog.provisioners()).hasSameSizeAs(BUNDLED.provisioners());
            assertThat(facts(catalog, PD)).isEqualTo(facts(BUNDLED, PD));
        }

        @Test
        void optsAKeyOutOfReadWriteOnce() {
            CapabilityCatalog catalog = CapabilityCatalogLoader.withOverrides("""
                    provisioners:
                      pd.csi.storage.gke.io:
                        bootSource: {readWriteOnce: false}
                    """, "configmap bootsource/provisioners");

            assertThat(readWriteOnceKeys(catalog)).containsExactly(HYPERDISK);
            assertThat(facts(catalog, PD).bootSource().snapshotClassParameters())
                    .containsExactly(Map.entry("snapshot-type", "images"));
            assertThat(facts(catalog, PD).claimPropertySets()).isEqualTo(facts(BUNDLED, PD).claimPropertySets());
        }

        @Test
        void replacesAProvisionersKeyRules() {
            CapabilityCatalog catalog = CapabilityCatalogLoader.withOverrides("""
                    provisionerKeyRules:
                      ebs.csi.aws.com:
                        - key: ebs.csi.aws.com/io2
                          when:
                            - {parameter: type, equals: [io2, io2-express]}
                    """, "configmap bootsource/provisioners");

            assertThat(catalog.provisionerKeyRules().get("ebs.csi.aws.com")).hasSize(1);
            assertThat(catalog.keyOf("ebs.csi.aws.com", Map.of("type", "io2-express")))
                    .isEqualTo(new ProvisionerKey("ebs.csi.aws.com/io2"));
            assertThat(catalog.keyOf("ebs.csi.aws.com", Map.of("type", "io1")))
                    .isEqualTo(new ProvisionerKey("ebs.csi.aws.com"));
            assertThat(catalog.keyOf(PD, Map.of("type", "hyperdisk-balanced"))).isEqualTo(new ProvisionerKey(HYPERDISK));
        }

        @ParameterizedTest(name = "an override of {0} gives the bundled catalog")
        @ValueSource(strings = {"nothing", "only a comment", "only a document start", "a section with nothing under it"})
        void emptyOverrideGivesTheBundledCatalog(String what) throws IOException {
            String content = switch (what) {
                case "nothing" -> "";
                case "only a comment" -> "# no overrides yet\n";
                case "only a document start" -> "---\n";
                default -> "provisioners:\n  # pd.csi.storage.gke.io:\n  #   minimumPvcSize: 10Gi\nprovisionerKeyRules:\n";
            };
            assertThat(ProvisionerConfigFile.load(write(content))).isEqualTo(BUNDLED);
            assertThat(CapabilityCatalogLoader.withOverrides(content, "configmap")).isEqualTo(BUNDLED);
        }

        static Stream<Arguments> malformedOverrides() {
            return Stream.of(
                    arguments("not YAML", "provisioners: [unclosed", "cannot read provisioner config"),
                    arguments("a list, not a mapping", "- pd.csi.storage.gke.io\n- ebs.csi.aws.com\n", "must be a mapping"),
                    arguments("a plain value, not a mapping", "minimumPvcSize 4Gi", "must be a mapping"),
                    arguments("a misspelt fact (minimumPVCSize)",
                            "provisioners:\n  pd.csi.storage.gke.io:\n    minimumPVCSize: 4Gi\n", "minimumPVCSize"),
                    arguments("a misspelt section", "provisioner:\n  example.com/csi: {}\n", "provisioner"),
                    arguments("a rule without key",
                            "provisionerKeyRules:\n  example.com/csi:\n    - when: [{parameter: tier, equals: [fast]}]\n",
                            "needs 'key'"),
                    arguments("a condition without parameter",
                            "provisionerKeyRules:\n  example.com/csi:\n    - key: x\n      when: [{equals: [fast]}]\n",
                            "needs 'parameter'"),
                    arguments("an exclusion without reason",
                            "provisioners:\n  pd.csi.storage.gke.io:\n    bootSource:\n"
                                    + "      imagesSnapshotUnsupportedWhen: [{when: [{parameter: a, present: true}]}]\n",
                            "needs 'reason'"),
                    arguments("a bad list separator",
                            "provisionerKeyRules:\n  example.com/csi:\n    - key: x\n"
                                    + "      when: [{parameter: opts, listContainsAll: [a], listSeparator: '[;'}]\n",
                            "invalid provisioner config"),
                    arguments("a non-boolean readWriteOnce",
                            "provisioners:\n  example.com/csi:\n    bootSource: {readWriteOnce: maybe}\n", "maybe"),
                    arguments("claim property sets that are not a list",
                            "provisioners:\n  example.com/csi:\n    claimPropertySets: ReadWriteOnce\n", "ClaimPropertySet"),
                    arguments("a duplicate key",
                            "provisioners:\n  example.com/csi: {minimumPvcSize: 1Gi}\n  example.com/csi: {minimumPvcSize: 2Gi}\n",
                            "example.com/csi"));
        }

        @ParameterizedTest(name = "file with {0} is rejected")
        @MethodSource("malformedOverrides")
        void malformedOverrideFileIsRejected(String behaviour, String content, String problem) throws IOException {
            Path file = write(content);
            assertThatThrownBy(() -> ProvisionerConfigFile.load(file))
                    .isInstanceOf(CapabilityConfigException.class)
                    .hasMessageStartingWith(file + ": ")
                    .hasMessageContaining(problem);
        }

        @ParameterizedTest(name = "ConfigMap with {0} is rejected")
        @MethodSource("malformedOverrides")
        void malformedOverrideTextIsRejected(String behaviour, String content, String problem) {
            assertThatThrownBy(() -> CapabilityCatalogLoader.withOverrides(content, "configmap bootsource/provisioners"))
                    .isInstanceOf(CapabilityConfigException.class)
                    .hasMessageStartingWith("configmap bootsource/provisioners: ")
                    .hasMessageContaining(problem);
        }

        @Test
        void aMissingFileIsRejectedNamingTheFile() {
            Path missing = dir.resolve("absent.yaml");
            assertThatThrownBy(() -> ProvisionerConfigFile.load(missing))
                    .isInstanceOf(CapabilityConfigException.class)
                    .hasMessageStartingWith(missing + ": cannot read provisioner config");
        }
    }
}
