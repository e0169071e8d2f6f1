package dev.bootsource.policy.workaround;

import java.util.List;

/**
 * Steps 1-6 of the manual GCP workaround for a cluster that cannot run the operator, as data: what the admin
 * should know first, the objects to apply in order, and the golden snapshots to delete afterwards.
 *
 * @param notes     findings to read before applying: Step 2, and each step skipped with why (done, not needed, not possible)
 * @param documents the objects (or parts of objects) to apply, in the order to apply them
 * @param cleanup   Step 6: the golden snapshots to delete once the documents are applied
 */
public record WorkaroundPlan(List<WorkaroundNote> notes, List<WorkaroundDocument> documents, GoldenSnapshotCleanup cleanup) {

    public WorkaroundPlan {
        notes = List.copyOf(notes);
        documents = List.copyOf(documents);
    }

    public List<WorkaroundDocument> documents(WorkaroundStep step) {
        return documents.stream().filter(document -> document.step() == step).toList();
    }
}
