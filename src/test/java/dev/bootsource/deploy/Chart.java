package dev.bootsource.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.bootsource.cluster.KubernetesObjects;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.Issuer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * BootSource's Helm chart rendered in-process (Helm's own library, no helm binary), as release
 * {@code bootsource} in namespace {@code bootsource}, into typed fabric8 objects.
 */
final class Chart {

    static final Path DIRECTORY = Path.of("deploy/helm/bootsource");
    static final String RELEASE = "bootsource";
    static final String NAMESPACE = "bootsource";
    /** The Kubernetes version the chart is rendered for (Helm's own default is older than the chart allows). */
    static final String KUBE_VERSION = "1.30.0";

    /** Every kind the chart may render, by apiVersion and kind. */
    private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", ClusterRole.class),
            Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", ClusterRoleBinding.class),
            Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class),
            Map.entry("admissionregistration.k8s.io/v1/MutatingWebhookConfiguration", MutatingWebhookConfiguration.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class),
            Map.entry("cert-manager.io/v1/Issuer", Issuer.class),
            Map.entry("cert-manager.io/v1/Certificate", Certificate.class));

    /**
     * Reads objects strictly: the fabric8 models keep unknown fields in {@code additionalProperties}, which
     * would hide a misspelt or misplaced field; without the any-setter an unknown field is an error.
     */
    static final ObjectMapper STRICT = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated annotated) {
                    return Boolean.FALSE;
                }
            });

    private Chart() {
    }

    /** The chart rendered with these values over its defaults ({@code --set key=value}). */
    static String render(Map<String, ?> values) {
        TemplateCommand template = new Helm(DIRECTORY).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        values.forEach(template::set);
        return template.call();
    }

    /** The chart's values.yaml with these {@code --set}-style values laid over it. */
    static com.fasterxml.jackson.databind.node.ObjectNode valuesWith(Map<String, ?> values) {
        try {
            var tree = (com.fasterxml.jackson.databind.node.ObjectNode) STRICT.readTree(DIRECTORY.resolve("values.yaml").toFile());
            values.forEach((key, value) -> set(tree, key, value));
            return tree;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Sets {@code a.b\\.c.d[0]} as helm's {@code --set} does (backslash escapes a dot). */
    private static void set(com.fasterxml.jackson.databind.node.ObjectNode tree, String key, Object value) {
        List<String> parts = List.of(key.split("(?<!\\\\)\\."));
        com.fasterxml.jackson.databind.node.ObjectNode node = tree;
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i).replace("\\.", ".");
            boolean last = i == parts.size() - 1;
            java.util.regex.Matcher indexed = java.util.regex.Pattern.compile("(.+)\\[(\\d+)]").matcher(part);
            if (indexed.matches()) {
                var array = node.withArray(indexed.group(1));
                int index = Integer.parseInt(indexed.group(2));
                while (array.size() <= index) {
                    array.addNull();
                }
                array.set(index, STRICT.valueToTree(value));
                return;
            }
            if (last) {
                node.set(part, STRICT.valueToTree(value));
            } else {
                node = node.has(part) && node.get(part).isObject()
                        ? (com.fasterxml.jackson.databind.node.ObjectNode) node.get(part) : node.putObject(part);
            }
        }
    }

    static Rendered renderObjects(Map<String, ?> values) {
        return Rendered.of(render(values));
    }

    /** A rendered manifest: its text and its objects, typed. */
    record Rendered(String text, List<HasMetadata> objects) {

        static Rendered of(String text) {
            List<HasMetadata> objects = new ArrayList<>();
            for (JsonNode node : KubernetesObjects.split(text, "the rendered chart")) {
                objects.add(typed(node));
            }
            return new Rendered(text, List.copyOf(objects));
        }

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
            return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
        }

        <T extends HasMetadata> T get(Class<T> type, String name) {
            return find(type, name).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name
                    + " in " + kinds()));
        }

        Map<String, String> kinds() {
            Map<String, String> kinds = new LinkedHashMap<>();
            objects.forEach(o -> kinds.merge(o.getKind(), o.getMetadata().getName(), (a, b) -> a + "," + b));
            return kinds;
        }
    }

    /** One object as its fabric8 type; an unknown kind or an unknown field is an error. */
    static HasMetadata typed(JsonNode node) {
        String key = node.path("apiVersion").asText() + "/" + node.path("kind").asText();
        Class<? extends HasMetadata> type = TYPES.get(key);
        if (type == null) {
            throw new AssertionError("the chart renders a kind the tests do not know: " + key);
        }
        try {
            return STRICT.treeToValue(node, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(key + " " + node.path("metadata").path("name").asText() + ": " + e.getOriginalMessage(), e);
        }
    }
}
