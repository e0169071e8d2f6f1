package dev.bootsource.restore;

import dev.bootsource.errors.InvalidInputException;
import java.time.Duration;
import java.util.Optional;

/**
 * What {@code restore-test} is asked to do.
 *
 * @param image         the DataSource or VolumeSnapshot to restore
 * @param count         how many PVCs to restore at once
 * @param storageClass  the class of the restored PVCs; empty: the default virt class, else the default class
 * @param namespace     where to create them; empty: the golden image's namespace
 * @param timeout       how long to wait for all of them to be Bound
 * @param keep          leave the PVCs in place afterwards
 * @param accessMode    the access mode; empty: the first of the class's StorageProfile, as CDI picks for VM disks
 * @param volumeMode    the volume mode; empty: the profile's for that access mode
 * @param size          the size; empty: the snapshot's restoreSize, else the source PVC's size
 * @param node          for a WaitForFirstConsumer class, the node to provision for; empty: the first schedulable one
 * @param pollInterval  how often to look at the PVCs
 * @param runId         the run id to use; empty: a random one
 */
public record RestoreTestSettings(
        ImageRef image,
        int count,
        Optional<String> storageClass,
        Optional<String> namespace,
        Duration timeout,
        boolean keep,
        Optional<String> accessMode,
        Optional<String> volumeMode,
        Optional<String> size,
        Optional<String> node,
        Duration pollInterval,
        Optional<String> runId) {

    public static final int MAX_COUNT = 500;

    public RestoreTestSettings {
        if (count < 1 || count > MAX_COUNT) {
            throw new InvalidInputException("--count must be between 1 and " + MAX_COUNT + ", got " + count);
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new InvalidInputException("--timeout must be positive");
        }
    }
}
