package dev.bootsource.restore;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of a restore test.
 *
 * @param runId     the run id (the value of {@value RestoreClaims#RUN_LABEL} on its PVCs)
 * @param namespace where the PVCs were made
 * @param image     the golden image restored
 * @param shape     what each PVC asked for
 * @param claims    every PVC, in name order
 * @param elapsed   from the first create request to the end of waiting
 * @param timedOut  waiting stopped at the timeout with PVCs still not Bound
 * @param aborted   the run was interrupted (Ctrl-C)
 * @param cleanup   what happened to the PVCs afterwards
 * @param notes     what the admin should know about the set-up (e.g. a snapshot not ready yet)
 */
public record RestoreTestResult(
        String runId,
        String namespace,
        GoldenImage image,
        ClaimShape shape,
        List<ClaimOutcome> claims,
        Duration elapsed,
        boolean timedOut,
        boolean aborted,
        Cleanup cleanup,
        List<String> notes) {

    public RestoreTestResult {
        claims = List.copyOf(claims);
        notes = List.copyOf(notes);
    }

    public long boundCount() {
        return claims.stream().filter(ClaimOutcome::bound).count();
    }

    public boolean allBound() {
        return !claims.isEmpty() && boundCount() == claims.size();
    }

    public List<ClaimOutcome> failures() {
        return claims.stream().filter(claim -> !claim.bound()).toList();
    }

    /** Times to Bound, shortest first. */
    public List<Duration> timesToBound() {
        return claims.stream().map(ClaimOutcome::timeToBound).flatMap(Optional::stream)
                .sorted(Comparator.naturalOrder()).toList();
    }

    /**
     * What happened to the PVCs after the test.
     *
     * @param kept     {@code --keep}: nothing was deleted
     * @param deleted  the PVCs deleted
     * @param problems deletions that failed, with why
     */
    public record Cleanup(boolean kept, List<String> deleted, List<String> problems) {
        public Cleanup {
            deleted = List.copyOf(deleted);
            problems = List.copyOf(problems);
        }
    }
}
