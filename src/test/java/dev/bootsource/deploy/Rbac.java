package dev.bootsource.deploy;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the chart's ClusterRoles and Roles grant BootSource's ServiceAccount, evaluated as the RBAC
 * authorizer does: a call is allowed when some bound rule names its verb, group and resource, covers its
 * namespace (a Role only its own), and lists its name when the rule has resourceNames.
 */
record Rbac(List<Grant> grants) {

    /** One rule, flattened to one verb, group and resource. */
    record Grant(String verb, String group, String resource, String namespace, Set<String> names) {

        boolean allows(ApiCalls.ApiCall call) {
            return verb.equals(call.verb()) && group.equals(call.group()) && resource.equals(call.resource())
                    && (namespace == null || namespace.equals(call.namespace()))
                    && (names.isEmpty() || names.contains(call.name()));
        }

        String permission() {
            return verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource;
        }
    }

    /** The grants of the chart's ServiceAccount in this rendering. */
    static Rbac of(Chart.Rendered rendered, String serviceAccount) {
        List<Grant> grants = new ArrayList<>();
        for (ClusterRoleBinding binding : rendered.all(ClusterRoleBinding.class)) {
            if (boundTo(binding.getSubjects(), serviceAccount, rendered)) {
                ClusterRole role = rendered.get(ClusterRole.class, binding.getRoleRef().getName());
                role.getRules().forEach(rule -> add(grants, rule, null));
            }
        }
        for (RoleBinding binding : rendered.all(RoleBinding.class)) {
            if (boundTo(binding.getSubjects(), serviceAccount, rendered)) {
                Role role = rendered.get(Role.class, binding.getRoleRef().getName());
                role.getRules().forEach(rule -> add(grants, rule, binding.getMetadata().getNamespace()));
            }
        }
        return new Rbac(List.copyOf(grants));
    }

    /**
     * What Kubernetes lets every authenticated user do (the built-in {@code system:basic-user} role): ask
     * which rules apply to oneself. The SDK does, before using its Lease.
     */
    static final Set<String> EVERY_USER = Set.of("create authorization.k8s.io/selfsubjectrulesreviews",
            "create authorization.k8s.io/selfsubjectaccessreviews");

    boolean allows(ApiCalls.ApiCall call) {
        return EVERY_USER.contains(call.permission()) || grants.stream().anyMatch(grant -> grant.allows(call));
    }

    /** The SelfSubjectRulesReview a real API server would answer for this namespace. */
    io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview rulesReview(String namespace) {
        var status = new io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder().withIncomplete(false);
        grants.stream().filter(grant -> grant.namespace() == null || grant.namespace().equals(namespace))
                .forEach(grant -> status.addNewResourceRule().withVerbs(grant.verb()).withApiGroups(grant.group())
                        .withResources(grant.resource()).withResourceNames(List.copyOf(grant.names())).endResourceRule());
        return new io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder()
                .withStatus(status.build()).build();
    }

    /** Every "verb group/resource" granted, whatever the namespace or names. */
    Set<String> permissions() {
        Set<String> permissions = new TreeSet<>();
        grants.forEach(grant -> permissions.add(grant.permission()));
        return permissions;
    }

    /** The rules' raw strings, to look for wildcards. */
    List<String> everyNamedThing() {
        List<String> all = new ArrayList<>();
        grants.forEach(grant -> {
            all.add(grant.verb());
            all.add(grant.group());
            all.add(grant.resource());
            all.addAll(grant.names());
        });
        return all;
    }

    private static boolean boundTo(List<Subject> subjects, String serviceAccount, Chart.Rendered rendered) {
        return subjects.stream().anyMatch(subject -> "ServiceAccount".equals(subject.getKind())
                && serviceAccount.equals(subject.getName()) && Chart.NAMESPACE.equals(subject.getNamespace()));
    }

    private static void add(List<Grant> grants, PolicyRule rule, String namespace) {
        if (rule.getNonResourceURLs() != null && !rule.getNonResourceURLs().isEmpty()) {
            throw new AssertionError("BootSource needs no non-resource URLs: " + rule.getNonResourceURLs());
        }
        Set<String> names = rule.getResourceNames() == null ? Set.of() : Set.copyOf(rule.getResourceNames());
        for (String verb : rule.getVerbs()) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    grants.add(new Grant(verb, group, resource, namespace, names));
                }
            }
        }
    }
}
