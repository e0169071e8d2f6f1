package dev.bootsource.cli;

import dev.bootsource.policy.workaround.WorkaroundStep;

import java.util.List;

/**
 * A {@link dev.bootsource.policy.workaround.WorkaroundPlan} in words and YAML trees: comments to read first, the
 * documents to apply in order, and the commands to run afterwards.
 *
 * @param header    what to check before applying (e.g. step 2 of the manual GCP workaround, the default snapshot class)
 * @param manifests the documents, in the order to apply them
 * @param closing   what to do afterwards: step 6 of the manual GCP workaround commands for stale golden snapshots, and Step 7
 */
record WorkaroundManifests(List<String> header, List<Manifest> manifests, List<String> closing) {

    WorkaroundManifests {
        header = List.copyOf(header);
        manifests = List.copyOf(manifests);
        closing = List.copyOf(closing);
    }

    List<Manifest> manifests(WorkaroundStep step) {
        return manifests.stream().filter(manifest -> manifest.step() == step).toList();
    }
}
