package dev.bootsource.policy;

import dev.bootsource.cluster.ClusterView;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole-cluster plan: the same per-profile decisions the operator makes, gathered in name order.
 * Linear in the size of the cluster: the shared-class rule is decided once per driver.
 */
public final class ClusterPlanner {

    private final BootSourcePolicy policy;

    public ClusterPlanner(BootSourcePolicy policy) {
        this.policy = policy;
    }

    public ClusterPlan plan(ClusterView cluster) {
        CdiManagement cdi = policy.cdiManagement(cluster);
        List<ProfileDecision> profiles = policy.decideAll(cluster, cdi);
        Map<String, SnapshotClassToCreate> toCreate = new LinkedHashMap<>();
        profiles.forEach(p -> p.snapshotClassToCreate().ifPresent(c -> toCreate.putIfAbsent(c.name(), c)));
        return new ClusterPlan(cdi, profiles, List.copyOf(toCreate.values()),
                new GoldenSnapshotPolicy(policy).decide(cluster, cdi));
    }
}
