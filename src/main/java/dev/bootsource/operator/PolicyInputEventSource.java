package dev.bootsource.operator;

import dev.bootsource.model.StorageProfile;
import dev.bootsource.model.VolumeSnapshotClass;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns changes of the policy's inputs into reconciles of the StorageProfiles they affect:
 * a StorageClass change reconciles the profile of the same name; a VolumeSnapshotClass change
 * reconciles the profiles of every StorageClass whose provisioner is the class's driver (before or
 * after the change), since any of them may now choose, keep or lose it. Once all inputs are cached
 * (the controller may start while they are still being listed), every profile is reconciled.
 *
 * <p>It also tells the view when the controller's informer has listed the StorageProfiles: the SDK starts
 * this source right after that and before its first reconcile, so those reconciles decide at once
 * instead of finding the profiles not cached yet.
 */
final class PolicyInputEventSource extends AbstractEventSource<Void, StorageProfile>
        implements InformerClusterView.PolicyInputListener {

    static final String NAME = "policy-inputs";

    private final InformerClusterView cluster;
    private final IndexerResourceCache<StorageProfile> controllerCache;

    /** @param controllerCache the SDK's cache of StorageProfiles (its controller event source) */
    PolicyInputEventSource(InformerClusterView cluster, IndexerResourceCache<StorageProfile> controllerCache) {
        super(Void.class, NAME);
        this.cluster = cluster;
        this.controllerCache = controllerCache;
    }

    @Override
    public void start() {
        cluster.addPolicyInputListener(this);
        super.start();
        if (ProfileController.haveListed(List.of(controllerCache))) {
            cluster.storageProfilesListedByController();
        }
    }

    @Override
    public void stop() {
        super.stop();
        cluster.removePolicyInputListener(this);
    }

    @Override
    public void storageClassChanged(StorageClass before, StorageClass after) {
        StorageClass changed = after != null ? after : before;
        reconcile(changed.getMetadata().getName());
    }

    @Override
    public void snapshotClassChanged(VolumeSnapshotClass before, VolumeSnapshotClass after) {
        Set<String> drivers = new HashSet<>();
        if (before != null && before.getDriver() != null) {
            drivers.add(before.getDriver());
        }
        if (after != null && after.getDriver() != null) {
            drivers.add(after.getDriver());
        }
        cluster.storageClasses().stream()
                .filter(storageClass -> drivers.contains(storageClass.getProvisioner()))
                .forEach(storageClass -> reconcile(storageClass.getMetadata().getName()));
    }

    @Override
    public void policyInputsSynced() {
        cluster.storageProfiles().forEach(profile -> reconcile(profile.getMetadata().getName()));
    }

    private void reconcile(String profileName) {
        if (isRunning()) {
            getEventHandler().handleEvent(new Event(new ResourceID(profileName)));
        }
    }

    @Override
    public Set<Void> getSecondaryResources(StorageProfile primary) {
        return Set.of();
    }
}
