package dev.bootsource.restore;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What became of one restored PVC.
 *
 * @param name         the PVC
 * @param phase        its last seen phase ({@code Bound}, {@code Pending}, ...), or {@code NotCreated}
 * @param timeToBound  from the create request to the first look that saw it Bound
 * @param createError  why it could not be created, if it could not
 * @param conditions   its status conditions, when it did not bind
 * @param events       its events, when it did not bind (the provisioner says why there)
 */
public record ClaimOutcome(
        String name,
        String phase,
        Optional<Duration> timeToBound,
        Optional<String> createError,
        List<String> conditions,
        List<String> events) {

    public static final String NOT_CREATED = "NotCreated";

    public ClaimOutcome {
        conditions = List.copyOf(conditions);
        events = List.copyOf(events);
    }

    public boolean bound() {
        return timeToBound.isPresent();
    }
}
