package dev.bootsource.operator;

import dev.bootsource.input.LeanSerialization;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bootsource.cluster.KubernetesObjects;
import dev.bootsource.model.DataImportCron;
import dev.bootsource.model.Keys;
import dev.bootsource.model.StorageProfile;
import dev.bootsource.model.VolumeSnapshot;
import dev.bootsource.model.VolumeSnapshotClass;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fabric8 mock API server in CRUD mode (a real HTTP API with watches) for the operator to run against,
 * with a request log and injectable faults. The server can be stopped and started again on the same port
 * with its objects kept, which is what an API server outage looks like to a client: connections refused,
 * watches gone, then everything back.
 */
public final class MockCluster implements AutoCloseable {

    /** The operator's requests carry this user agent, so tests count only what the operator sent. */
    static final String OPERATOR_AGENT = "bootsource-operator";
    static final String ADMIN_AGENT = "test-admin";
    private static final Path RESOURCES = Path.of("src/test/resources/operator");
    /** The mock server logs every request through java.util.logging; held here so the setting sticks. */
    private static final java.util.logging.Logger MOCK_SERVER_LOG = quiet("io.fabric8.mockwebserver");

    private final Map<ServerRequest, Queue<ServerResponse>> expectations = new ConcurrentHashMap<>();
    private final FaultInjectingDispatcher dispatcher = new FaultInjectingDispatcher(
            new MergePatchDispatcher(new KubernetesMixedDispatcher(expectations)));
    private final List<KubernetesClient> clients = new ArrayList<>();
    private KubernetesMockServer server;
    private final int port;
    private final KubernetesClient admin;

    public MockCluster() {
        server = newServer();
        server.start(InetAddress.getLoopbackAddress(), 0);
        port = server.getPort();
        admin = client(ADMIN_AGENT);
    }

    /** The client tests act through, as a cluster admin or CDI would. */
    public KubernetesClient admin() {
        return admin;
    }

    /** A client for the operator: same server, requests marked as the operator's. */
    public KubernetesClient operatorClient() {
        return client(OPERATOR_AGENT);
    }

    /** A client for one of several operator replicas: requests marked as that replica's. */
    KubernetesClient operatorClient(String replica) {
        return client(OPERATOR_AGENT + "/" + replica);
    }

    /** The port the API server listens on (127.0.0.1, plain HTTP). */
    public int port() {
        return port;
    }

    /** Every request the server received since the last {@link #clearRequests()}. */
    public List<FaultInjectingDispatcher.Request> requests() {
        return dispatcher.requests();
    }

    KubernetesMockServer server() {
        return server;
    }

    FaultInjectingDispatcher faults() {
        return dispatcher;
    }

    /** Requests the operator sent since the last {@link #clearRequests()}. */
    List<FaultInjectingDispatcher.Request> operatorRequests() {
        return dispatcher.requests().stream().filter(r -> r.userAgent().startsWith(OPERATOR_AGENT)).toList();
    }

    /** The operator's writes (anything but GET) to the named collection, e.g. {@code storageprofiles}. */
    List<FaultInjectingDispatcher.Request> operatorWrites(String plural) {
        return operatorRequests().stream().filter(FaultInjectingDispatcher.Request::isWrite)
                .filter(r -> r.concerns(plural)).toList();
    }

    /**
     * Answers every SelfSubjectRulesReview with this one: the mock server does not evaluate RBAC, and the
     * SDK asks before it uses its Lease.
     */
    public void answerRulesReviews(io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview review) {
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews").andReturn(201, review).always();
    }

    public void clearRequests() {
        dispatcher.clearRequests();
    }

    /** Installs CDI's CRDs: the cluster starts serving StorageProfiles and DataImportCrons. */
    public void installCdi() {
        createAll(RESOURCES.resolve("cdi-crds.yaml"));
    }

    /** Installs the external-snapshotter CRDs: VolumeSnapshotClasses and VolumeSnapshots. */
    public void installSnapshotCrds() {
        createAll(RESOURCES.resolve("snapshot-crds.yaml"));
    }

    /** Creates every object in the file that the operator knows the kind of, as {@code kubectl create -f} would. */
    void createAll(Path file) {
        try {
            create(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates the objects in YAML text (one or several documents, or a List). */
    public void create(String yaml) {
        create(yaml, "test YAML");
    }

    private void create(String text, String source) {
        for (JsonNode object : KubernetesObjects.split(text, source)) {
            Class<? extends HasMetadata> type = typeOf(object.path("kind").asText());
            if (type == null) {
                continue;
            }
            ObjectNode copy = object.deepCopy();
            ObjectNode metadata = (ObjectNode) copy.path("metadata");
            metadata.remove(List.of("resourceVersion", "uid", "generation", "managedFields"));
            HasMetadata typed = admin.getKubernetesSerialization().convertValue(copy, type);
            admin.resource(typed).create();
        }
    }

    /** Stops the API server: clients get connection refused and lose their watches. Objects are kept. */
    void stopServer() {
        server.shutdown();
    }

    /** Starts the API server again on the same port, with the same objects. */
    void startServer() {
        server = newServer();
        server.start(InetAddress.getLoopbackAddress(), port);
    }

    StorageProfile profile(String name) {
        return admin.resources(StorageProfile.class).withName(name).get();
    }

    Map<String, String> annotations(String profileName) {
        StorageProfile profile = profile(profileName);
        return profile == null || profile.getMetadata().getAnnotations() == null
                ? Map.of() : profile.getMetadata().getAnnotations();
    }

    List<VolumeSnapshotClass> snapshotClasses() {
        return admin.resources(VolumeSnapshotClass.class).list().getItems();
    }

    List<VolumeSnapshotClass> snapshotClassesCreatedByBootSource() {
        return snapshotClasses().stream()
                .filter(vsc -> vsc.getMetadata().getLabels() != null
                        && Keys.MANAGED_BY_VALUE.equals(vsc.getMetadata().getLabels().get(Keys.MANAGED_BY_LABEL)))
                .toList();
    }

    @Override
    public void close() {
        clients.forEach(KubernetesClient::close);
        server.shutdown();
    }

    private KubernetesClient client(String agent) {
        // The JDK HTTP client, as in the shipped jar (the mock server brings a second client onto the test
        // classpath, and fabric8 would otherwise pick one at random).
        // The operator's clients read as the shipped one does (LeanSerialization); the admin's reads everything.
        KubernetesClient client = server.createClient(builder -> builder.withHttpClientFactory(new JdkHttpClientFactory())
                .withKubernetesSerialization(agent.startsWith(OPERATOR_AGENT) ? LeanSerialization.create() : new KubernetesSerialization())
                .editOrNewConfig()
                .withUserAgent(agent)
                .withRequestRetryBackoffLimit(3)
                .withRequestRetryBackoffInterval(100)
                .withWatchReconnectInterval(200)
                .endConfig());
        clients.add(client);
        return client;
    }

    private KubernetesMockServer newServer() {
        return new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), expectations,
                dispatcher, false);
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    private static Class<? extends HasMetadata> typeOf(String kind) {
        return switch (kind) {
            case "CustomResourceDefinition" -> CustomResourceDefinition.class;
            case "StorageClass" -> StorageClass.class;
            case "CDI" -> dev.bootsource.model.Cdi.class;
            case "VolumeSnapshotClass" -> VolumeSnapshotClass.class;
            case "StorageProfile" -> StorageProfile.class;
            case "VolumeSnapshot" -> VolumeSnapshot.class;
            case "DataImportCron" -> DataImportCron.class;
            case "PersistentVolumeClaim" -> PersistentVolumeClaim.class;
            default -> null;
        };
    }
}
