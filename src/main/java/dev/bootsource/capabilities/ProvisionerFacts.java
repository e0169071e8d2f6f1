package dev.bootsource.capabilities;

import java.util.List;
import java.util.Optional;

/**
 * Everything known about one provisioner key. Absent facts are null in the data file.
 *
 * @param claimPropertySets the access/volume modes CDI would advertise
 * @param minimumPvcSize    the smallest volume the backend accepts, e.g. {@code 4Gi}
 * @param cloneStrategy     CDI's advised clone strategy ({@code snapshot}, {@code csi-clone}, {@code copy})
 * @param sourceFormat      the advised DataImportCron source format ({@code snapshot} or {@code pvc})
 * @param bootSource        boot-source storage facts; absent means none
 */
public record ProvisionerFacts(
        List<ClaimPropertySet> claimPropertySets,
        String minimumPvcSize,
        String cloneStrategy,
        String sourceFormat,
        BootSourceFacts bootSource) {

    public static final ProvisionerFacts UNKNOWN = new ProvisionerFacts(List.of(), null, null, null, BootSourceFacts.NONE);

    public ProvisionerFacts {
        claimPropertySets = claimPropertySets == null ? List.of() : List.copyOf(claimPropertySets);
        bootSource = bootSource == null ? BootSourceFacts.NONE : bootSource;
    }

    public Optional<String> minimumPvcSizeIfKnown() {
        return Optional.ofNullable(minimumPvcSize).filter(size -> !size.isBlank());
    }
}
