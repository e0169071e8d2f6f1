package dev.bootsource.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bootsource.TestResources;
import dev.bootsource.input.ClusterApiReader;
import dev.bootsource.input.ClusterFileReader;
import dev.bootsource.cluster.ClusterSnapshot;
import dev.bootsource.cluster.KubernetesObjects;
import dev.bootsource.model.Cdi;
import dev.bootsource.model.DataImportCron;
import dev.bootsource.model.DataVolume;
import dev.bootsource.model.StorageProfile;
import dev.bootsource.model.VolumeSnapshot;
import dev.bootsource.model.VolumeSnapshotClass;
import dev.bootsource.restore.RestoreCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static dev.bootsource.cli.VerifyCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code plan}, {@code verify} and {@code workaround} without FILE read the cluster of the kubeconfig (get and
 * list only) and answer exactly as they do on a dump of the same objects; the mock API server runs in CRUD mode.
 */
@EnableKubernetesMockClient(crud = true)
class LiveReadTest {

    static KubernetesClient client;
    static KubernetesMockServer server;
    private static final Logger MOCK_SERVER_LOG = RestoreCluster.quietMockServer();

    static final ResourceDefinitionContext DATA_SOURCES = new ResourceDefinitionContext.Builder()
            .withGroup("cdi.kubevirt.io").withVersion("v1beta1").withKind("DataSource").withPlural("datasources")
            .withNamespaced(true).build();
    static final ResourceDefinitionContext HYPERCONVERGEDS = new ResourceDefinitionContext.Builder()
            .withGroup("hco.kubevirt.io").withVersion("v1beta1").withKind("HyperConverged").withPlural("hyperconvergeds")
            .withNamespaced(true).build();

    @TempDir
    Path dir;
    Path kubeconfig;

    @BeforeEach
    void cluster() throws IOException {
        clear();
        load("/cli/gke-cluster.yaml");
        kubeconfig = kubeconfig(dir, client.getConfiguration().getMasterUrl());
    }

    static Path kubeconfig(Path dir, String url) throws IOException {
        return TestKubeconfig.write(dir, url, "mock", "staging");
    }

    static void load(String resource) {
        for (JsonNode node : KubernetesObjects.split(TestResources.text(resource), resource)) {
            String kind = node.path("kind").asText();
            switch (kind) {
                case "DataSource" -> client.genericKubernetesResources(DATA_SOURCES).inNamespace(namespace(node))
                        .resource(KubernetesObjects.MAPPER.convertValue(node, GenericKubernetesResource.class)).create();
                case "HyperConverged" -> client.genericKubernetesResources(HYPERCONVERGEDS).inNamespace(namespace(node))
                        .resource(KubernetesObjects.MAPPER.convertValue(node, GenericKubernetesResource.class)).create();
                default -> client.resource(KubernetesObjects.MAPPER.convertValue(node, type(kind))).create();
            }
        }
    }

    private static String namespace(JsonNode node) {
        return node.path("metadata").path("namespace").asText("default");
    }

    static Class<? extends HasMetadata> type(String kind) {
        return switch (kind) {
            case "StorageClass" -> StorageClass.class;
            case "VolumeSnapshotClass" -> VolumeSnapshotClass.class;
            case "StorageProfile" -> StorageProfile.class;
            case "DataImportCron" -> DataImportCron.class;
            case "VolumeSnapshot" -> VolumeSnapshot.class;
            case "PersistentVolumeClaim" -> PersistentVolumeClaim.class;
            case "DataVolume" -> DataVolume.class;
            case "CDI" -> Cdi.class;
            default -> throw new IllegalArgumentException(kind);
        };
    }

    static void clear() {
        client.storage().v1().storageClasses().delete();
        client.resources(VolumeSnapshotClass.class).delete();
        client.resources(StorageProfile.class).delete();
        client.resources(Cdi.class).delete();
        client.resources(DataImportCron.class).inAnyNamespace().delete();
        client.resources(VolumeSnapshot.class).inAnyNamespace().delete();
        client.resources(DataVolume.class).inAnyNamespace().delete();
        client.persistentVolumeClaims().inAnyNamespace().delete();
        client.genericKubernetesResources(DATA_SOURCES).inAnyNamespace().delete();
        client.genericKubernetesResources(HYPERCONVERGEDS).inAnyNamespace().delete();
    }

    /** What `kubectl get ... -A -o yaml` prints for every kind read: one List of what the server holds. */
    private Path dump() throws IOException {
        List<HasMetadata> items = new ArrayList<>();
        items.addAll(client.storage().v1().storageClasses().list().getItems());
        items.addAll(client.resources(VolumeSnapshotClass.class).list().getItems());
        items.addAll(client.resources(StorageProfile.class).list().getItems());
        items.addAll(client.resources(Cdi.class).list().getItems());
        items.addAll(client.resources(DataImportCron.class).inAnyNamespace().list().getItems());
        items.addAll(client.resources(VolumeSnapshot.class).inAnyNamespace().list().getItems());
        items.addAll(client.resources(DataVolume.class).inAnyNamespace().list().getItems());
        items.addAll(client.persistentVolumeClaims().inAnyNamespace().list().getItems());
        items.addAll(client.genericKubernetesResources(DATA_SOURCES).inAnyNamespace().list().getItems());
        items.addAll(client.genericKubernetesResources(HYPERCONVERGEDS).inAnyNamespace().list().getItems());
        ObjectNode list = KubernetesObjects.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "List");
        var array = list.putArray("items");
        items.forEach(item -> array.add(KubernetesObjects.MAPPER.valueToTree(item)));
        Path file = dir.resolve("dump.yaml");
        Files.writeString(file, KubernetesObjects.MAPPER.writeValueAsString(list));
        return file;
    }

    @Test
    void theLiveReadGivesTheSnapshotADumpOfTheSameObjectsGives() throws IOException {
        ClusterSnapshot fromFile = ClusterFileReader.read(List.of(dump()));
        List<String> progress = new ArrayList<>();
        ClusterApiReader reader = new ClusterApiReader(client, progress::add);
        ClusterSnapshot live = reader.read();

        assertThat(canonical(live)).isEqualTo(canonical(fromFile));
        assertThat(reader.problems()).isEmpty();
        assertThat(reader.counts()).containsEntry("StorageClass", 2).containsEntry("VolumeSnapshot", 2)
                .containsEntry("DataSource", 1).containsEntry("HyperConverged", 1).containsEntry("CDI", 1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"plan", "plan -o json", "verify", "verify -o json", "workaround"})
    void everyCommandAnswersAsOnADump(String command) throws IOException {
        Path dump = dump();
        List<String> words = List.of(command.split(" "));
        VerifyCommandTest.Run onFile = run(Stream.concat(words.stream(), Stream.of(dump.toString())).toArray(String[]::new));
        VerifyCommandTest.Run live = run(Stream.concat(words.stream(), Stream.of("--kubeconfig", kubeconfig.toString()))
                .toArray(String[]::new));

        assertThat(live.exitCode()).as(live.err()).isEqualTo(onFile.exitCode());
        assertThat(withoutSource(live.out())).isEqualTo(withoutSource(onFile.out()));
        assertThat(live.err()).contains("Reading cluster context mock (" + client.getConfiguration().getMasterUrl())
                .contains("Read from cluster context mock")
                .contains("2 StorageClasses, 1 VolumeSnapshotClass, 2 StorageProfiles, 1 DataImportCron, 2 VolumeSnapshots, "
                        + "1 PersistentVolumeClaim, 1 DataVolume, 1 DataSource, 1 CDI, 1 HyperConverged");
        assertThat(onFile.err()).contains("Read from " + dump + ": 2 StorageClasses");
    }

    @Test
    void aForbiddenListIsNamedWithVerbAndResourceAndTheRestIsRead() {
        server.expect().get().withPath("/apis/snapshot.storage.k8s.io/v1/volumesnapshots?limit=500")
                .andReturn(403, "{\"kind\":\"Status\",\"code\":403,\"reason\":\"Forbidden\"}").once();
        VerifyCommandTest.Run live = run("plan", "--kubeconfig", kubeconfig.toString());
        assertThat(live.exitCode()).as(live.err()).isZero();
        assertThat(live.err()).contains("VolumeSnapshots: not read: forbidden: RBAC lacks verb 'list' on resource "
                + "volumesnapshots.snapshot.storage.k8s.io in all namespaces; read as none")
                .contains("0 VolumeSnapshots");
    }

    @Test
    void aMissingCrdIsNamedAndTheRestIsRead() {
        server.expect().get().withPath("/apis/hco.kubevirt.io/v1beta1/hyperconvergeds?limit=500")
                .andReturn(404, "{\"kind\":\"Status\",\"code\":404,\"reason\":\"NotFound\"}").once();
        VerifyCommandTest.Run live = run("plan", "--kubeconfig", kubeconfig.toString());
        assertThat(live.exitCode()).as(live.err()).isZero();
        assertThat(live.err()).contains("HyperConvergeds: not read: the API server does not serve "
                + "hyperconvergeds.hco.kubevirt.io (its CRD is not installed); read as none");
    }

    @Test
    void anUnreachableClusterIsOneLineNamingIt() throws IOException {
        Path closed = kubeconfig(dir.resolve("closed"), "http://127.0.0.1:1/");
        VerifyCommandTest.Run live = run("verify", "--kubeconfig", closed.toString());
        assertThat(live.exitCode()).isEqualTo(1);
        assertThat(live.err().lines().filter(line -> line.startsWith("bootsource: "))).singleElement().asString()
                .startsWith("bootsource: cluster http://127.0.0.1:1/: cannot be reached");
    }

    @Test
    void anUnknownContextIsAnErrorNamingIt() {
        VerifyCommandTest.Run live = run("plan", "--kubeconfig", kubeconfig.toString(), "--context", "stagin");
        assertThat(live.exitCode()).isEqualTo(2);
        assertThat(live.err().strip()).isEqualTo("bootsource: context 'stagin' is not in the kubeconfig " + kubeconfig
                + "; it has: mock, staging");
    }

    @Test
    void anEmptyClusterIsNotAPass() {
        clear();
        VerifyCommandTest.Run verify = run("verify", "--kubeconfig", kubeconfig.toString());
        assertThat(verify.exitCode()).isEqualTo(VerifyCommand.CHECK_FAILED);
        assertThat(verify.out()).contains("FAIL");
        VerifyCommandTest.Run plan = run("plan", "--kubeconfig", kubeconfig.toString());
        assertThat(plan.exitCode()).isEqualTo(2);
        assertThat(plan.err()).contains("no StorageClasses read");
    }

    /** Every kind, as JSON, in the order the snapshot hands them out. */
    static String canonical(ClusterSnapshot cluster) {
        List<Collection<? extends HasMetadata>> kinds = List.of(cluster.storageClasses(), cluster.volumeSnapshotClasses(),
                cluster.storageClasses().stream().map(sc -> cluster.storageProfile(sc.getMetadata().getName()))
                        .flatMap(java.util.Optional::stream).toList(),
                cluster.persistentVolumeClaims(), cluster.dataImportCrons(), cluster.dataImportCronSnapshots(), cluster.cdis(),
                cluster.dataVolumes(), cluster.dataSources(), cluster.hyperConvergeds());
        return kinds.stream().map(objects -> KubernetesObjects.MAPPER.valueToTree(objects).toString())
                .reduce("", (a, b) -> a + "\n" + b);
    }

    private static String withoutSource(String out) {
        return out.replaceAll("(?m)^# made from .*$", "# made from SOURCE");
    }
}
