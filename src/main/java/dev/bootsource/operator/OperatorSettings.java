package dev.bootsource.operator;

import dev.bootsource.errors.InvalidInputException;
import java.time.Duration;

/**
 * How the operator runs (the policy's own switches live in {@link dev.bootsource.policy.PolicyOptions}).
 *
 * @param healthPort          plain-HTTP port for /metrics, /healthz and /readyz; 0 picks a free port,
 *                            negative turns the server off
 * @param lease               leader election; with it off every replica reconciles
 * @param resyncPeriod        every profile is reconciled at least this often even without events: a safety
 *                            net, not the way changes are noticed
 * @param apiRecheckPeriod    how often missing or forbidden APIs are checked again
 * @param reconcileThreads    profiles reconciled in parallel
 */
public record OperatorSettings(
        int healthPort,
        LeaseSettings lease,
        Duration resyncPeriod,
        Duration apiRecheckPeriod,
        int reconcileThreads) {

    public static final int DEFAULT_HEALTH_PORT = 8080;
    public static final Duration DEFAULT_RESYNC = Duration.ofMinutes(10);
    public static final Duration DEFAULT_API_RECHECK = Duration.ofSeconds(30);
    public static final int DEFAULT_RECONCILE_THREADS = 8;

    public OperatorSettings {
        if (resyncPeriod.isNegative() || resyncPeriod.isZero()) {
            throw new InvalidInputException("the resync period must be positive, got " + resyncPeriod);
        }
        if (apiRecheckPeriod.isNegative() || apiRecheckPeriod.isZero()) {
            throw new InvalidInputException("the API re-check period must be positive, got " + apiRecheckPeriod);
        }
        if (reconcileThreads < 1) {
            throw new InvalidInputException("at least one reconcile thread is needed, got " + reconcileThreads);
        }
    }

    public static OperatorSettings defaults(LeaseSettings lease) {
        return new OperatorSettings(DEFAULT_HEALTH_PORT, lease, DEFAULT_RESYNC, DEFAULT_API_RECHECK, DEFAULT_RECONCILE_THREADS);
    }

    public OperatorSettings withHealthPort(int port) {
        return new OperatorSettings(port, lease, resyncPeriod, apiRecheckPeriod, reconcileThreads);
    }

    public OperatorSettings withLease(LeaseSettings newLease) {
        return new OperatorSettings(healthPort, newLease, resyncPeriod, apiRecheckPeriod, reconcileThreads);
    }

    public OperatorSettings withApiRecheckPeriod(Duration period) {
        return new OperatorSettings(healthPort, lease, resyncPeriod, period, reconcileThreads);
    }

    public OperatorSettings withResyncPeriod(Duration period) {
        return new OperatorSettings(healthPort, lease, period, apiRecheckPeriod, reconcileThreads);
    }
}
