package dev.bootsource.operator;

import dev.bootsource.errors.InvalidInputException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Leader election through a {@code coordination.k8s.io} Lease: only the holder reconciles.
 *
 * @param enabled        off: every replica reconciles (for a single replica, or clusters without Leases)
 * @param name           the Lease's name
 * @param namespace      the Lease's namespace
 * @param identity       this replica's identity in the Lease (the pod name)
 * @param leaseDuration  how long a Lease that is not renewed keeps others waiting
 * @param renewDeadline  how long the leader keeps trying to renew before it gives up leading
 * @param retryPeriod    how often candidates try, and the leader renews
 */
public record LeaseSettings(
        boolean enabled,
        String name,
        String namespace,
        String identity,
        Duration leaseDuration,
        Duration renewDeadline,
        Duration retryPeriod) {

    public static final String DEFAULT_NAME = "bootsource-leader";

    public LeaseSettings {
        if (enabled && !(leaseDuration.compareTo(renewDeadline) > 0 && renewDeadline.compareTo(retryPeriod) > 0)) {
            throw new InvalidInputException("lease timing must satisfy duration > renew deadline > retry period, got "
                    + leaseDuration + ", " + renewDeadline + ", " + retryPeriod);
        }
    }

    /** Kubernetes' usual timing (15 s / 10 s / 2 s): a crashed leader is replaced within about 15 seconds. */
    public static LeaseSettings standard(String name, String namespace, String identity) {
        return new LeaseSettings(true, name, namespace, identity,
                Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
    }

    public static LeaseSettings disabled() {
        return new LeaseSettings(false, DEFAULT_NAME, "", defaultIdentity(), Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    public LeaseSettings withTiming(Duration duration, Duration renew, Duration retry) {
        return new LeaseSettings(enabled, name, namespace, identity, duration, renew, retry);
    }

    /** The pod name (HOSTNAME in a pod), else a random id. */
    public static String defaultIdentity() {
        return Optional.ofNullable(System.getenv("HOSTNAME")).filter(host -> !host.isBlank())
                .orElseGet(() -> "bootsource-" + UUID.randomUUID());
    }
}
