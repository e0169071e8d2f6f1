package dev.bootsource.policy.admission;

import java.util.List;

/**
 * What BootSource answers to one admission request (spec §4). Every outcome admits the object; they
 * differ in whether it is changed, and each says why.
 */
public sealed interface AdmissionDecision {

    String reason();

    /** The outcome in a few words, e.g. for a log line: "ignored", "unchanged", "patched ...". */
    String outcome();

    /** The changes to the object; empty unless {@link Mutate}. */
    default List<PatchOperation> patch() {
        return List.of();
    }

    /** What the requester and the admin should know; empty unless {@link Unresolved}. */
    default List<String> warnings() {
        return List.of();
    }

    /** Outside what BootSource enforces: another operation or kind, or an object not made for a DataImportCron. */
    record Ignored(String reason) implements AdmissionDecision {
        @Override
        public String outcome() {
            return "ignored";
        }
    }

    /** Enforced, and the object is already right or the policy asks nothing of it. */
    record Unchanged(String reason) implements AdmissionDecision {
        @Override
        public String outcome() {
            return "unchanged";
        }
    }

    /** Enforced, but something the decision needs is unknown: admitted as it is, with the reason as a warning. */
    record Unresolved(String reason) implements AdmissionDecision {
        @Override
        public String outcome() {
            return "unchanged, with a warning";
        }

        @Override
        public List<String> warnings() {
            return List.of(reason);
        }
    }

    /** Enforced, and the object gets these changes. */
    record Mutate(List<PatchOperation> patch, String reason) implements AdmissionDecision {
        public Mutate {
            patch = List.copyOf(patch);
            if (patch.isEmpty()) {
                throw new IllegalArgumentException("a mutation needs at least one patch operation");
            }
        }

        @Override
        public String outcome() {
            return "patched " + patch.stream().map(op -> op.op() + " " + op.path() + "=" + op.value()).toList();
        }
    }
}
