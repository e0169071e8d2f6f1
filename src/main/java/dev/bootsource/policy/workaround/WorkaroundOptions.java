package dev.bootsource.policy.workaround;

import java.util.Optional;

/**
 * What the admin asks of {@code workaround}.
 *
 * @param storageClass             the StorageClass to make an images-only copy of; empty means the default
 *                                 virt class (else the default class)
 * @param hyperConvergedNamespace  the namespace of the HyperConverged resource
 * @param hyperConvergedName       the name of the HyperConverged resource
 * @param imagesStorageClass       write Steps 1, 4 and 5 (the images-only class and the templates pointed at
 *                                 it), which a CDI that ignores the annotations needs
 */
public record WorkaroundOptions(
        Optional<String> storageClass,
        String hyperConvergedNamespace,
        String hyperConvergedName,
        boolean imagesStorageClass) {

    public static final String DEFAULT_HYPERCONVERGED_NAMESPACE = "kubevirt-hyperconverged";
    public static final String DEFAULT_HYPERCONVERGED_NAME = "kubevirt-hyperconverged";

    public static WorkaroundOptions defaults() {
        return new WorkaroundOptions(Optional.empty(), DEFAULT_HYPERCONVERGED_NAMESPACE, DEFAULT_HYPERCONVERGED_NAME, true);
    }
}
