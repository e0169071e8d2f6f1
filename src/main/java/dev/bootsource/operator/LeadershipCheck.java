package dev.bootsource.operator;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Whether this replica may take a destructive step right now (spec §5): leader election works, this
 * replica leads, and the Lease on the API server (not a cached belief) names it as a holder that has
 * not expired. With leader election off on purpose ({@code --no-leader-election}) the admin runs a single
 * replica, and leading is enough.
 */
final class LeadershipCheck {

    private final KubernetesClient client;
    private final LeaseSettings lease;
    private final BooleanSupplier electionWorking;
    private final BooleanSupplier leading;
    private final Clock clock;

    /**
     * @param electionWorking false while leader election is on but degraded (the Lease API refused), so every
     *                        replica reconciles
     * @param leading         true while this replica reconciles
     */
    LeadershipCheck(KubernetesClient client, LeaseSettings lease, BooleanSupplier electionWorking,
                    BooleanSupplier leading, Clock clock) {
        this.client = client;
        this.lease = lease;
        this.electionWorking = electionWorking;
        this.leading = leading;
        this.clock = clock;
    }

    /** False while leader election is on but not working: nothing may be deleted then. */
    boolean electionWorking() {
        return !lease.enabled() || electionWorking.getAsBoolean();
    }

    /** Why this replica does not act for the cluster now, from what it believes; empty while it leads. */
    Optional<String> refusalWithoutLease() {
        return leading.getAsBoolean() ? Optional.empty() : Optional.of("this replica does not lead");
    }

    /** Why this replica may not delete now; empty when it may. Reads the Lease from the API server. */
    Optional<String> refusal() {
        if (!electionWorking()) {
            return Optional.of("leader election is on but not working (the Lease API was refused), so several replicas "
                    + "may act at once");
        }
        if (!leading.getAsBoolean()) {
            return Optional.of("this replica does not lead");
        }
        if (!lease.enabled()) {
            return Optional.empty();
        }
        Lease current;
        try {
            current = client.leases().inNamespace(lease.namespace()).withName(lease.name()).get();
        } catch (KubernetesClientException e) {
            return Optional.of("cannot read Lease " + lease.namespace() + "/" + lease.name() + " (HTTP " + e.getCode() + ")");
        }
        if (current == null || current.getSpec() == null) {
            return Optional.of("Lease " + lease.namespace() + "/" + lease.name() + " does not exist");
        }
        String holder = current.getSpec().getHolderIdentity();
        if (!lease.identity().equals(holder)) {
            return Optional.of("Lease " + lease.namespace() + "/" + lease.name() + " is held by " + holder);
        }
        Optional<Instant> expires = expiry(current);
        if (expires.isEmpty() || !clock.instant().isBefore(expires.get())) {
            return Optional.of("this replica's hold on Lease " + lease.namespace() + "/" + lease.name() + " has expired");
        }
        return Optional.empty();
    }

    private static Optional<Instant> expiry(Lease current) {
        ZonedDateTime renewed = current.getSpec().getRenewTime();
        Integer seconds = current.getSpec().getLeaseDurationSeconds();
        if (renewed == null || seconds == null) {
            return Optional.empty();
        }
        return Optional.of(renewed.toInstant().plus(Duration.ofSeconds(seconds)));
    }
}
