package dev.bootsource.policy.verify;

import java.util.List;

/**
 * The result of verifying a cluster's boot-source set-up (step 7 of the manual GCP workaround): where each DataImportCron's
 * golden images land, and every check with its reason.
 */
public record VerifyReport(List<CronStorage> dataImportCrons, List<Check> checks) {

    public VerifyReport {
        dataImportCrons = List.copyOf(dataImportCrons);
        checks = List.copyOf(checks);
    }

    public long count(CheckResult result) {
        return checks.stream().filter(check -> check.result() == result).count();
    }

    /** True when no check failed (warnings allowed). */
    public boolean passed() {
        return count(CheckResult.FAIL) == 0;
    }

    public List<Check> checks(CheckArea area) {
        return checks.stream().filter(check -> check.area() == area).toList();
    }
}
