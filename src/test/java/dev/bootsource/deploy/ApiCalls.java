package dev.bootsource.deploy;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every Kubernetes API call BootSource makes anywhere in the test suite, as the authorizer sees it: verb,
 * API group, resource, namespace and name. The mock API server's dispatcher reports each request here, so
 * any test that runs BootSource against it is recorded; {@code LeastPrivilegeTest} checks the chart's RBAC
 * against the result.
 */
public final class ApiCalls {

    /** User agents of BootSource's own clients in the tests start with this. */
    public static final String BOOTSOURCE_AGENT = "bootsource-operator";

    /** One authorization request: what RBAC must allow for the call to succeed. */
    public record ApiCall(String verb, String group, String resource, String namespace, String name) {

        /** The rule-level identity of the call: verb, group and resource. */
        public String permission() {
            return verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource;
        }

        @Override
        public String toString() {
            return permission() + (namespace == null ? "" : " in " + namespace) + (name == null ? "" : " named " + name);
        }
    }

    private static final Set<ApiCall> SUITE = ConcurrentHashMap.newKeySet();

    private ApiCalls() {
    }

    /** Records a request the mock API server received, if BootSource sent it and it names a resource. */
    public static void record(String method, String path, String userAgent) {
        if (userAgent != null && userAgent.startsWith(BOOTSOURCE_AGENT)) {
            parse(method, path).ifPresent(SUITE::add);
        }
    }

    /** Everything BootSource called in this test run so far. */
    public static Set<ApiCall> recordedInSuite() {
        return Set.copyOf(SUITE);
    }

    /** The calls among these requests (method, path) that name a resource. */
    public static List<ApiCall> parseAll(Collection<String[]> requests) {
        return requests.stream().map(r -> parse(r[0], r[1])).flatMap(Optional::stream).toList();
    }

    /**
     * The authorization attributes of a request, as the API server derives them; empty for non-resource
     * paths (discovery, {@code /version}), which every authenticated user may read.
     */
    public static Optional<ApiCall> parse(String method, String path) {
        int query = path.indexOf('?');
        String bare = query < 0 ? path : path.substring(0, query);
        boolean watch = query >= 0 && path.substring(query).matches(".*[?&]watch=(true|1).*");
        List<String> segments = List.of(bare.replaceAll("^/+|/+$", "").split("/+"));
        String group;
        List<String> rest;
        if (segments.size() >= 2 && segments.get(0).equals("api")) {
            group = "";
            rest = segments.subList(2, segments.size());
        } else if (segments.size() >= 3 && segments.get(0).equals("apis")) {
            group = segments.get(1);
            rest = segments.subList(3, segments.size());
        } else {
            return Optional.empty();
        }
        if (rest.isEmpty()) {
            return Optional.empty();
        }
        String namespace = null;
        if (rest.get(0).equals("namespaces") && rest.size() >= 3) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        String resource = rest.get(0) + (rest.size() >= 3 ? "/" + rest.get(2) : "");
        String name = rest.size() >= 2 ? rest.get(1) : null;
        String verb = switch (method) {
            case "GET", "HEAD" -> watch ? "watch" : name == null ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name == null ? "deletecollection" : "delete";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
        return Optional.of(new ApiCall(verb, group, resource, namespace, name));
    }
}
