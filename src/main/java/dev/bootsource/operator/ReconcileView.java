package dev.bootsource.operator;

import dev.bootsource.cluster.ClusterView;
import dev.bootsource.cluster.ForwardingClusterView;
import dev.bootsource.model.StorageProfile;

import java.util.Optional;

/**
 * The state one reconcile decides on: the informer caches, except that the profile being reconciled is
 * the version the operator framework handed over. That version includes BootSource's own latest write
 * before the watch has echoed it, so a reconcile never decides on (and re-sends) a stale profile.
 */
final class ReconcileView extends ForwardingClusterView {

    private final ClusterView cluster;
    private final StorageProfile reconciled;

    ReconcileView(ClusterView cluster, StorageProfile reconciled) {
        this.cluster = cluster;
        this.reconciled = reconciled;
    }

    @Override
    protected ClusterView delegate() {
        return cluster;
    }

    @Override
    public Optional<StorageProfile> storageProfile(String name) {
        return reconciled.getMetadata().getName().equals(name) ? Optional.of(reconciled) : cluster.storageProfile(name);
    }
}
