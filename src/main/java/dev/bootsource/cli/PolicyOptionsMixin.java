package dev.bootsource.cli;

import dev.bootsource.capabilities.CapabilityCatalog;
import dev.bootsource.capabilities.CapabilityCatalogLoader;
import dev.bootsource.policy.BootSourcePolicy;
import dev.bootsource.policy.CdiMode;
import dev.bootsource.policy.GoldenSnapshotMode;
import dev.bootsource.policy.PolicyOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The policy switches every command that decides shares: provisioner config, auto-create, golden snapshots. */
public final class PolicyOptionsMixin {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Provisioner config laid over the bundled one (same YAML shape): new provisioner keys, "
                    + "the RWO set, snapshot-class parameters, minimum sizes.")
    Path config;

    @Option(names = "--auto-create-snapshot-classes", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Create <storageclass>-images when no boot-source VolumeSnapshotClass matches (default: ${DEFAULT-VALUE}).")
    boolean autoCreate = true;

    @Option(names = "--golden-snapshots", paramLabel = "MODE", defaultValue = "auto",
            description = "Stale golden snapshots: auto (recreate), dry-run (report only) or off (default: ${DEFAULT-VALUE}).")
    String goldenSnapshots = "auto";

    @Option(names = "--max-snapshot-deletions", paramLabel = "N", defaultValue = "1",
            description = "Golden-snapshot deletions allowed in flight cluster-wide (default: ${DEFAULT-VALUE}).")
    int maxSnapshotDeletions = 1;

    @Option(names = "--cdi-manages-boot-sources", paramLabel = "auto|yes|no", defaultValue = "auto",
            description = "Whether CDI (v1.65.0 or later) manages boot-source storage itself: auto tells from the CDI "
                    + "resource's version, else from CDI's own annotations on StorageProfiles (default: ${DEFAULT-VALUE}).")
    String cdiManagesBootSources = "auto";

    public CapabilityCatalog catalog() {
        return config == null ? CapabilityCatalogLoader.bundled() : ProvisionerConfigFile.load(config);
    }

    public PolicyOptions options() {
        return new PolicyOptions(autoCreate, GoldenSnapshotMode.parse(goldenSnapshots), maxSnapshotDeletions,
                CdiMode.parse(cdiManagesBootSources));
    }

    public BootSourcePolicy policy() {
        return new BootSourcePolicy(catalog(), options());
    }
}
