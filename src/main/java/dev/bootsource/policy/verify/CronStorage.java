package dev.bootsource.policy.verify;

import java.util.Optional;

/**
 * Where one DataImportCron's golden images land and how, per the policy.
 *
 * @param namespace            the cron's namespace
 * @param name                 the cron's name
 * @param storageClass         the class its imports use, when it resolves to an existing class
 * @param source               whether the template names the class or a default was taken
 * @param readWriteOnce        the class's effective RWO: golden images are imported ReadWriteOnce
 * @param snapshotClass        the class's effective boot-source snapshot class, if any
 */
public record CronStorage(
        String namespace,
        String name,
        Optional<String> storageClass,
        StorageClassSource source,
        boolean readWriteOnce,
        Optional<String> snapshotClass) {
}
