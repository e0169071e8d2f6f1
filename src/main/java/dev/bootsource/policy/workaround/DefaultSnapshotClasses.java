package dev.bootsource.policy.workaround;

import dev.bootsource.cluster.ClusterView;
import dev.bootsource.model.VolumeSnapshotClass;
import dev.bootsource.policy.BootSourceClasses;
import dev.bootsource.policy.ClusterPlan;
import dev.bootsource.policy.ProfileDecision;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Step 2 of the manual GCP workaround: VM snapshots must keep a regular VolumeSnapshotClass as the default, so an
 * images class is never picked for them.
 */
final class DefaultSnapshotClasses {

    private DefaultSnapshotClasses() {
    }

    /**
     * For each driver that gets a boot-source class: is exactly one regular (non-images) class its default, and no
     * images class?
     */
    static List<WorkaroundNote> notes(ClusterView cluster, ClusterPlan plan, BootSourceClasses classes) {
        Set<String> drivers = plan.storageProfiles().stream()
                .filter(p -> p.effectiveSnapshotClass().isPresent())
                .map(ProfileDecision::provisioner)
                .collect(Collectors.toCollection(TreeSet::new));
        List<WorkaroundNote> notes = new ArrayList<>();
        for (String driver : drivers) {
            List<VolumeSnapshotClass> ofDriver = cluster.volumeSnapshotClassesOf(driver).stream()
                    .sorted(Comparator.comparing(vsc -> vsc.getMetadata().getName()))
                    .toList();
            List<String> regular = ofDriver.stream().filter(vsc -> !classes.isBootSourceSnapshotClass(cluster, vsc))
                    .map(vsc -> vsc.getMetadata().getName()).toList();
            List<String> regularDefaults = ofDriver.stream().filter(BootSourceClasses::isDefaultSnapshotClass)
                    .map(vsc -> vsc.getMetadata().getName()).filter(regular::contains).toList();
            ofDriver.stream().filter(BootSourceClasses::isDefaultSnapshotClass)
                    .map(vsc -> vsc.getMetadata().getName()).filter(name -> !regular.contains(name))
                    .forEach(images -> notes.add(new WorkaroundNote.ImagesClassIsDefault(images)));
            if (regularDefaults.size() == 1) {
                notes.add(new WorkaroundNote.RegularClassIsDefault(regularDefaults.get(0), driver));
            } else if (regularDefaults.size() > 1) {
                notes.add(new WorkaroundNote.SeveralDefaults(regularDefaults, driver));
            } else if (regular.isEmpty()) {
                notes.add(new WorkaroundNote.NoRegularClass(driver));
            } else {
                notes.add(new WorkaroundNote.NoDefault(driver, regular));
            }
        }
        return notes;
    }
}
