package dev.bootsource.policy;

import dev.bootsource.errors.InvalidInputException;
import java.util.Locale;

/** How stale golden snapshots are handled (spec §5). */
public enum GoldenSnapshotMode {
    /** Delete stale snapshots, within the safety limits, so CDI re-imports them. */
    AUTO,
    /** Report what would be deleted; delete nothing. */
    DRY_RUN,
    /** Leave golden snapshots alone. */
    OFF;

    public static GoldenSnapshotMode parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "dry-run", "dryrun" -> DRY_RUN;
            case "off" -> OFF;
            default -> throw new InvalidInputException("golden snapshot mode must be auto, dry-run or off, got '" + text + "'");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
