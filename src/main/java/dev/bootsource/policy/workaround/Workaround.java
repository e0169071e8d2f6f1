package dev.bootsource.policy.workaround;

import java.util.List;

/**
 * steps 1-6 of the manual GCP workaround for a cluster that cannot run the operator, as data: comments to read first,
 * the documents to apply in order, and the commands to run afterwards.
 *
 * @param header    what to check before applying (e.g. step 2 of the manual GCP workaround, the default snapshot class)
 * @param manifests the documents, in the order to apply them
 * @param closing   what to do afterwards: step 6 of the manual GCP workaround commands for stale golden snapshots, and Step 7
 */
public record Workaround(List<String> header, List<Manifest> manifests, List<String> closing) {

    public Workaround {
        header = List.copyOf(header);
        manifests = List.copyOf(manifests);
        closing = List.copyOf(closing);
    }

    public List<Manifest> manifests(WorkaroundStep step) {
        return manifests.stream().filter(manifest -> manifest.step() == step).toList();
    }
}
