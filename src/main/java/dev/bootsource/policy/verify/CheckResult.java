package dev.bootsource.policy.verify;

import java.util.Locale;

/** The outcome of one check: right, worth a look, or wrong. */
public enum CheckResult {
    PASS, WARN, FAIL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
