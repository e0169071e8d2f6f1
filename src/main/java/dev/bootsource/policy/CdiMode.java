package dev.bootsource.policy;

import dev.bootsource.errors.InvalidInputException;
import java.util.Locale;

/** The admin's word on whether CDI manages boot-source storage itself (spec §3.1): detect it, or say so. */
public enum CdiMode {
    /** Tell from the CDI resource's version, else from upstream annotations on StorageProfiles. */
    AUTO,
    /** CDI manages boot sources, whatever the cluster shows. */
    YES,
    /** CDI does not manage boot sources, whatever the cluster shows. */
    NO;

    public static CdiMode parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "yes", "true" -> YES;
            case "no", "false" -> NO;
            default -> throw new InvalidInputException("CDI mode must be auto, yes or no, got '" + text + "'");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
