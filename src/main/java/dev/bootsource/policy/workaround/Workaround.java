package dev.bootsource.policy.workaround;

import java.util.List;

/**
 * Seed 000's Steps 1-6 for a cluster that cannot run the operator, as data: comments to read first,
 * the documents to apply in order, and the commands to run afterwards.
 *
 * @param header    what to check before applying (e.g. seed 000 Step 2, the default snapshot class)
 * @param manifests the documents, in the order to apply them
 * @param closing   what to do afterwards: seed 000 Step 6 commands for stale golden snapshots, and Step 7
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
