package dev.bootsource.live;

import dev.bootsource.capabilities.CapabilityCatalogLoader;
import dev.bootsource.input.ClusterFileReader;
import dev.bootsource.cluster.ClusterSnapshot;
import dev.bootsource.model.Keys;
import dev.bootsource.policy.BootSourcePolicy;
import dev.bootsource.policy.ClusterPlanner;
import dev.bootsource.policy.PolicyOptions;
import dev.bootsource.policy.ProfileDecision;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code bootsource run} against a real Kubernetes API server (upstream apiextensions-apiserver on etcd,
 * {@code scripts/realapi.sh}): it converges the bundled example as {@code plan} says, re-chooses when the
 * chosen snapshot class is deleted, keeps an admin's value, and its webhook is called by the server.
 * Run with {@code mvn -B verify} once {@value RealApiServer#KUBECONFIG_VARIABLE} names the server's kubeconfig.
 */
@Tag("live")
@ExtendWith(RealApiServer.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorOnRealApiServerIT {

    private static final Path EXAMPLE = Path.of("examples/gcp-hyperdisk");
    private static final List<Path> POLICY_INPUTS = List.of(EXAMPLE.resolve("storageclasses.yaml"),
            EXAMPLE.resolve("volumesnapshotclasses.yaml"), EXAMPLE.resolve("storageprofiles.yaml"));
    private static final List<String> POLICY_KEYS = List.of(
            Keys.MINIMUM_PVC_SIZE, Keys.USE_RWO_FOR_BOOT_SOURCES, Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES);
    private static final BootSourcePolicy POLICY = new BootSourcePolicy(CapabilityCatalogLoader.bundled(), PolicyOptions.DEFAULTS);
    private static final Duration CONVERGE = Duration.ofSeconds(90);
    private static final ResourceDefinitionContext PROFILES = crd("cdi.kubevirt.io", "v1beta1", "StorageProfile", "storageprofiles", false);
    private static final ResourceDefinitionContext SNAPSHOT_CLASSES =
            crd("snapshot.storage.k8s.io", "v1", "VolumeSnapshotClass", "volumesnapshotclasses", false);
    private static final ResourceDefinitionContext DATA_VOLUMES = crd("cdi.kubevirt.io", "v1beta1", "DataVolume", "datavolumes", true);
    private static final ResourceDefinitionContext WEBHOOK_CONFIGS = crd("admissionregistration.k8s.io", "v1",
            "MutatingWebhookConfiguration", "mutatingwebhookconfigurations", false);
    private static final ResourceDefinitionContext STORAGE_CLASSES = crd("storage.k8s.io", "v1", "StorageClass", "storageclasses", false);

    private static KubernetesClient client;
    private static OperatorProcess operator;
    private static Path work;
    private static int webhookPort;

    @BeforeAll
    static void startOperatorOnTheExample() throws Exception {
        client = RealApiServer.client();
        work = Files.createTempDirectory("bootsource-live");
        clearPolicyInputs();
        RealApiServer.objects(POLICY_INPUTS.toArray(Path[]::new)).forEach(object -> RealApiServer.create(client, object));
        Path certificate = work.resolve("tls.crt");
        Path key = work.resolve("tls.key");
        selfSignedCertificate(certificate, key);
        webhookPort = freePort();
        operator = OperatorProcess.start(RealApiServer.kubeconfigFile(), work.resolve("operator.log"), List.of("-Xmx256m"),
                List.of("--no-leader-election", "--metrics-port=0", "--webhook-port=" + webhookPort,
                        "--tls-cert=" + certificate, "--tls-key=" + key, "--resync-period=5s"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (operator != null) {
            operator.close();
        }
        if (client != null) {
            client.genericKubernetesResources(WEBHOOK_CONFIGS).withName("bootsource-live").delete();
            client.close();
        }
    }

    @Test
    @Order(1)
    void convergesTheExampleToWhatPlanSays() {
        Map<String, Map<String, String>> planned = plannedAnnotations(ClusterFileReader.read(POLICY_INPUTS));
        assertThat(planned).hasSize(3);
        awaitProfiles(planned);
        // The operator reads objects without managedFields; the server keeps them, with an entry for its patch.
        assertThat(client.genericKubernetesResources(PROFILES).withName("sp-balanced").get().getMetadata().getManagedFields())
                .anySatisfy(entry -> assertThat(String.valueOf(entry.getFieldsV1().getAdditionalProperties()))
                        .contains("f:" + Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES));
    }

    @Test
    @Order(2)
    void aDeletedSnapshotClassIsChosenAgainAsPlanSaysWithoutIt() {
        awaitProfiles(plannedAnnotations(ClusterFileReader.read(POLICY_INPUTS)));
        client.genericKubernetesResources(SNAPSHOT_CLASSES).withName("cnv-images").delete();

        ClusterSnapshot withoutIt = ClusterFileReader.read(POLICY_INPUTS).toBuilder()
                .volumeSnapshotClasses(ClusterFileReader.read(POLICY_INPUTS).volumeSnapshotClasses().stream()
                        .filter(vsc -> !"cnv-images".equals(vsc.getMetadata().getName()))
                        .toList())
                .build();
        Map<String, Map<String, String>> planned = plannedAnnotations(withoutIt);
        assertThat(planned.get("sp-balanced")).containsEntry(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES, "sp-balanced-images");
        awaitProfiles(planned);
        GenericKubernetesResource created = client.genericKubernetesResources(SNAPSHOT_CLASSES).withName("sp-balanced-images").get();
        assertThat(created).as("the VolumeSnapshotClass BootSource created").isNotNull();
        assertThat(created.<String>get("driver")).isEqualTo("pd.csi.storage.gke.io");
        assertThat(created.<Map<String, String>>get("parameters")).containsEntry("snapshot-type", "images");
    }

    @Test
    @Order(3)
    void anAdminsValueIsKept() throws Exception {
        await().atMost(CONVERGE).until(() -> annotations("standard-rwo").containsKey(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES));
        client.genericKubernetesResources(PROFILES).withName("standard-rwo").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"" + Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES + "\":\"admin-choice\"}}}");
        // A StorageClass change makes the operator decide again at once; the 5 s resync does in any case.
        client.genericKubernetesResources(STORAGE_CLASSES).withName("standard-rwo").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":{\"live-test\":\"touched\"}}}");
        TimeUnit.SECONDS.sleep(12);
        assertThat(operator.isAlive()).as(operator.logTail(30)).isTrue();
        assertThat(annotations("standard-rwo")).containsEntry(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES, "admin-choice");
        assertThat(annotations("sp-balanced")).containsEntry(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES, "sp-balanced-images");
    }

    @Test
    @Order(4)
    void theServerCallsTheWebhookForACronDataVolume() throws Exception {
        await().atMost(CONVERGE).until(() -> "true".equals(annotations("sp-balanced").get(Keys.USE_RWO_FOR_BOOT_SOURCES)));
        String caBundle = Base64.getEncoder().encodeToString(Files.readAllBytes(work.resolve("tls.crt")));
        GenericKubernetesResource config = new GenericKubernetesResourceBuilder()
                .withApiVersion("admissionregistration.k8s.io/v1").withKind("MutatingWebhookConfiguration")
                .withNewMetadata().withName("bootsource-live").endMetadata()
                .addToAdditionalProperties("webhooks", List.of(Map.of(
                        "name", "golden-images.bootsource.dev",
                        "admissionReviewVersions", List.of("v1"),
                        "sideEffects", "None",
                        "failurePolicy", "Fail",
                        "clientConfig", Map.of("url", "https://127.0.0.1:" + webhookPort + "/mutate", "caBundle", caBundle),
                        "objectSelector", Map.of("matchExpressions", List.of(
                                Map.of("key", Keys.DATA_IMPORT_CRON_LABEL, "operator", "Exists"))),
                        "rules", List.of(Map.of("apiGroups", List.of("cdi.kubevirt.io"), "apiVersions", List.of("v1beta1"),
                                "operations", List.of("CREATE"), "resources", List.of("datavolumes"), "scope", "Namespaced")))))
                .build();
        client.genericKubernetesResources(WEBHOOK_CONFIGS).withName("bootsource-live").delete();
        client.resource(config).create();

        // The server's webhook informer takes a moment to see the configuration: retry the create until mutated.
        String namespace = "live-golden";
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            String name = "fedora-" + System.nanoTime();
            GenericKubernetesResource created = client.resource(cronDataVolume(namespace, name)).create();
            client.genericKubernetesResources(DATA_VOLUMES).inNamespace(namespace).withName(name).delete();
            assertThat(storage(created).get("accessModes")).isEqualTo(List.of(Keys.READ_WRITE_ONCE));
        });

        // Without the DataImportCron label the server does not call the webhook, and nothing changes.
        GenericKubernetesResource plain = cronDataVolume(namespace, "plain");
        plain.getMetadata().setLabels(Map.of());
        client.genericKubernetesResources(DATA_VOLUMES).inNamespace(namespace).withName("plain").delete();
        assertThat(storage(client.resource(plain).create())).doesNotContainKey("accessModes");
    }

    private static GenericKubernetesResource cronDataVolume(String namespace, String name) {
        return new GenericKubernetesResourceBuilder()
                .withApiVersion("cdi.kubevirt.io/v1beta1").withKind("DataVolume")
                .withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels(Keys.DATA_IMPORT_CRON_LABEL, "fedora-image-cron").endMetadata()
                .addToAdditionalProperties("spec", Map.of(
                        "source", Map.of("registry", Map.of("url", "docker://quay.io/containerdisks/fedora:latest")),
                        "storage", Map.of("storageClassName", "sp-balanced",
                                "resources", Map.of("requests", Map.of("storage", "30Gi")))))
                .build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> storage(GenericKubernetesResource dataVolume) {
        return (Map<String, Object>) ((Map<String, Object>) dataVolume.getAdditionalProperties().get("spec")).get("storage");
    }

    /** The boot-source annotations plan decides for each profile. */
    private static Map<String, Map<String, String>> plannedAnnotations(ClusterSnapshot cluster) {
        Map<String, Map<String, String>> planned = new TreeMap<>();
        for (ProfileDecision decision : new ClusterPlanner(POLICY).plan(cluster).storageProfiles()) {
            planned.put(decision.storageClassName(), policyAnnotations(decision.annotationsAfter()));
        }
        return planned;
    }

    private static void awaitProfiles(Map<String, Map<String, String>> planned) {
        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(operator.isAlive()).as("operator running; log:\n" + operator.logTail(40)).isTrue();
            Map<String, Map<String, String>> live = new TreeMap<>();
            planned.keySet().forEach(name -> live.put(name, policyAnnotations(annotations(name))));
            assertThat(live).isEqualTo(planned);
        });
    }

    private static Map<String, String> annotations(String profile) {
        GenericKubernetesResource live = client.genericKubernetesResources(PROFILES).withName(profile).get();
        return Optional.ofNullable(live).map(p -> p.getMetadata().getAnnotations()).orElse(Map.of());
    }

    private static Map<String, String> policyAnnotations(Map<String, String> annotations) {
        Map<String, String> picked = new TreeMap<>();
        POLICY_KEYS.forEach(key -> Optional.ofNullable(annotations.get(key)).ifPresent(value -> picked.put(key, value)));
        return picked;
    }

    /** Removes what an earlier run left, so every run starts from the example as dumped. */
    private static void clearPolicyInputs() {
        for (ResourceDefinitionContext kind : List.of(PROFILES, SNAPSHOT_CLASSES, STORAGE_CLASSES)) {
            client.genericKubernetesResources(kind).delete();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> client.genericKubernetesResources(PROFILES).list().getItems().isEmpty()
                && client.genericKubernetesResources(SNAPSHOT_CLASSES).list().getItems().isEmpty()
                && client.genericKubernetesResources(STORAGE_CLASSES).list().getItems().isEmpty());
    }

    private static void selfSignedCertificate(Path certificate, Path key) throws IOException, InterruptedException {
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", key.toString(), "-out", certificate.toString(), "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost")
                .redirectErrorStream(true).redirectOutput(work.resolve("openssl.log").toFile()).start();
        assertThat(openssl.waitFor()).as("openssl: " + Files.readString(work.resolve("openssl.log"))).isZero();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static ResourceDefinitionContext crd(String group, String version, String kind, String plural, boolean namespaced) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(namespaced).build();
    }
}
