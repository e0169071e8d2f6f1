package dev.bootsource.live;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import dev.bootsource.cluster.KubernetesObjects;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The real Kubernetes API server the live suite runs against ({@code scripts/realapi.sh start}), found
 * through {@value #KUBECONFIG_VARIABLE}. Without it the live suite is skipped, except in CI ({@code CI=true}),
 * where a missing server fails it: there the suite must never silently not run.
 */
public final class RealApiServer implements ExecutionCondition {

    public static final String KUBECONFIG_VARIABLE = "BOOTSOURCE_LIVE_KUBECONFIG";
    /** Kinds the server does not serve (it has no core/v1 API); fixtures holding them leave them out. */
    private static final Set<String> NOT_SERVED = Set.of("PersistentVolumeClaim", "Event", "Secret", "Namespace");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (kubeconfig() != null || inCi()) {
            return ConditionEvaluationResult.enabled("a real API server is configured, or this is CI");
        }
        return ConditionEvaluationResult.disabled(KUBECONFIG_VARIABLE + " is not set: start one with "
                + "`eval $(scripts/realapi.sh start)` and export " + KUBECONFIG_VARIABLE + "=$KUBECONFIG");
    }

    /** A client for the server; fails (in CI, or when the file is missing) rather than skipping. */
    public static KubernetesClient client() {
        String path = kubeconfig();
        if (path == null) {
            throw new IllegalStateException("CI=true and " + KUBECONFIG_VARIABLE + " is not set: the live suite needs "
                    + "the real API server (scripts/realapi.sh start)");
        }
        return new KubernetesClientBuilder().withConfig(config(path)).build();
    }

    public static Path kubeconfigFile() {
        return Path.of(kubeconfig());
    }

    /** Objects from YAML files as generic resources, without the kinds the server does not serve. */
    public static List<GenericKubernetesResource> objects(Path... files) {
        return java.util.Arrays.stream(files)
                .flatMap(file -> KubernetesObjects.split(read(file), file.toString()).stream())
                .filter(node -> !NOT_SERVED.contains(node.path("kind").asText()))
                .map(node -> JSON.convertValue(node, GenericKubernetesResource.class))
                .toList();
    }

    /** Creates the object and then, as its controller would, writes its status through the status subresource. */
    public static void create(KubernetesClient client, GenericKubernetesResource object) {
        GenericKubernetesResource created = client.resource(object).create();
        Object status = object.getAdditionalProperties().get("status");
        if (status != null) {
            created.setAdditionalProperty("status", status);
            client.resource(created).updateStatus();
        }
    }

    static JsonNode tree(HasMetadata object) {
        return JSON.valueToTree(object);
    }

    static ObjectNode objectNode() {
        return JSON.createObjectNode();
    }

    private static Config config(String path) {
        try {
            return Config.fromKubeconfig(Files.readString(Path.of(path)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + KUBECONFIG_VARIABLE + "=" + path + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String kubeconfig() {
        String path = System.getenv(KUBECONFIG_VARIABLE);
        return path == null || path.isBlank() ? null : path;
    }

    private static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
