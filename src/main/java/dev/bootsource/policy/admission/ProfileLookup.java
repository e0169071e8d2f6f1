package dev.bootsource.policy.admission;

import dev.bootsource.cluster.ClusterView;
import dev.bootsource.model.Keys;
import dev.bootsource.policy.BootSourcePolicy;
import dev.bootsource.policy.DefaultStorageClass;
import dev.bootsource.policy.ProfileDecision;
import io.fabric8.kubernetes.api.model.storage.StorageClass;

import java.util.Optional;

/**
 * The StorageClass an object lands on and BootSource's decision for that class's profile, or what
 * is unknown about it. The decision is the §3 policy computed from the state as it is, so it holds
 * even before the operator has written the profile's annotations.
 */
sealed interface ProfileLookup {

    /**
     * @param decision    the §3 decision for the class's StorageProfile
     * @param storageClass how the class was found, e.g. "default virt StorageClass fast"
     */
    record Found(ProfileDecision decision, String storageClass) implements ProfileLookup {
    }

    record Unknown(String problem) implements ProfileLookup {
    }

    /**
     * @param storageClassName the class the object names, if any; without one, the default class (spec §4)
     */
    static ProfileLookup of(BootSourcePolicy policy, ClusterView cluster, Optional<String> storageClassName) {
        if (storageClassName.isPresent() && storageClassName.get().isBlank()) {
            return new Unknown("storageClassName is empty, which asks for no StorageClass");
        }
        Optional<StorageClass> found = DefaultStorageClass.resolve(cluster, storageClassName);
        if (found.isEmpty()) {
            return new Unknown(storageClassName
                    .map(name -> "StorageClass " + name + " does not exist")
                    .orElse("no StorageClass is named and there is no default one (annotated "
                            + Keys.DEFAULT_VIRT_STORAGE_CLASS + " or " + Keys.DEFAULT_STORAGE_CLASS + ")"));
        }
        StorageClass storageClass = found.get();
        String name = storageClass.getMetadata().getName();
        ProfileDecision decision = policy.decide(cluster, storageClass);
        if (!decision.profileExists()) {
            return new Unknown("StorageProfile " + name + " does not exist yet");
        }
        return new Found(decision, storageClassName.isPresent() ? "StorageClass " + name : describeDefault(storageClass));
    }

    private static String describeDefault(StorageClass storageClass) {
        return (DefaultStorageClass.isVirtDefault(storageClass) ? "default virt StorageClass " : "default StorageClass ") + storageClass.getMetadata().getName();
    }
}
