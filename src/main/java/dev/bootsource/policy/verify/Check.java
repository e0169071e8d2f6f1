package dev.bootsource.policy.verify;

/**
 * One verified fact about the cluster, and why it holds or not.
 *
 * @param area    what part of the set-up it belongs to
 * @param subject the object looked at, e.g. {@code VolumeSnapshot kubevirt-os-images/fedora-a5e9}
 * @param check   what was checked, e.g. {@code snapshot class}
 * @param result  pass, warn or fail
 * @param reason  why, in words an admin can act on
 */
public record Check(CheckArea area, String subject, String check, CheckResult result, String reason) {

    static Check pass(CheckArea area, String subject, String check, String reason) {
        return new Check(area, subject, check, CheckResult.PASS, reason);
    }

    static Check warn(CheckArea area, String subject, String check, String reason) {
        return new Check(area, subject, check, CheckResult.WARN, reason);
    }

    static Check fail(CheckArea area, String subject, String check, String reason) {
        return new Check(area, subject, check, CheckResult.FAIL, reason);
    }
}
