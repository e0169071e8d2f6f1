package dev.bootsource.restore;

import java.util.List;
import java.util.Optional;

/**
 * What each restored PVC asks for: the same storage a VM disk made from the golden image would get.
 *
 * @param storageClass  the class, or empty for the cluster default
 * @param accessModes   the access modes
 * @param volumeMode    Block or Filesystem, or empty for the cluster default
 * @param size          the requested size, e.g. {@code 30Gi}
 * @param selectedNode  for a WaitForFirstConsumer class: the node to provision for, set as the scheduler would
 */
public record ClaimShape(
        Optional<String> storageClass,
        List<String> accessModes,
        Optional<String> volumeMode,
        String size,
        Optional<String> selectedNode) {

    public ClaimShape {
        accessModes = List.copyOf(accessModes);
    }
}
