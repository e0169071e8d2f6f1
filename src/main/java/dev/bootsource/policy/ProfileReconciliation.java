package dev.bootsource.policy;

import dev.bootsource.model.Keys;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The working state of one profile decision: the annotations as found, as they will be, BootSource's
 * record of what it owns, and the changes and warnings collected on the way. Applies spec §3's
 * ownership rule in one place: a user's value is never touched; BootSource's is kept current or removed.
 */
final class ProfileReconciliation {

    private final Map<String, String> before;
    private final ManagedAnnotations record;
    private final Map<String, String> after;
    private final Map<String, String> owned;
    private final List<AnnotationChange> changes = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    ProfileReconciliation(Map<String, String> before) {
        this.before = Map.copyOf(before);
        this.record = ManagedAnnotations.readFrom(before);
        this.after = new TreeMap<>(before);
        this.owned = new TreeMap<>();
        record.problem().ifPresent(warnings::add);
    }

    /** Present, and not with the value BootSource last wrote. */
    boolean userSet(String key) {
        return before.containsKey(key) && !record.owns(key, before);
    }

    boolean ownedByBootSource(String key) {
        return record.owns(key, before);
    }

    String before(String key) {
        return before.get(key);
    }

    String after(String key) {
        return after.get(key);
    }

    void warn(String warning) {
        warnings.add(warning);
    }

    /**
     * Brings a key BootSource may own to the desired value: add it if absent, replace BootSource's own
     * stale value, remove BootSource's value when nothing is desired. A user's value is left alone.
     */
    void ensure(String key, Optional<String> desired, String reason) {
        if (userSet(key)) {
            return;
        }
        String current = after.get(key);
        if (desired.isPresent()) {
            String value = desired.get();
            if (current == null) {
                changes.add(new AnnotationChange(AnnotationChange.Op.ADD, key, value, reason));
            } else if (!current.equals(value)) {
                changes.add(new AnnotationChange(AnnotationChange.Op.REPLACE, key, value, reason));
            }
            after.put(key, value);
            owned.put(key, value);
        } else if (current != null) {
            changes.add(new AnnotationChange(AnnotationChange.Op.REMOVE, key, null, reason));
            after.remove(key);
        }
    }

    /** The annotations after reconcile, with BootSource's record brought up to date. */
    Map<String, String> annotationsAfter() {
        Map<String, String> result = new TreeMap<>(after);
        Optional<String> formatted = ManagedAnnotations.format(owned);
        if (formatted.isPresent()) {
            result.put(Keys.MANAGED_ANNOTATIONS, formatted.get());
        } else {
            result.remove(Keys.MANAGED_ANNOTATIONS);
        }
        return result;
    }

    Map<String, String> annotationsBefore() {
        return before;
    }

    List<AnnotationChange> changes() {
        return changes;
    }

    List<String> warnings() {
        return warnings;
    }
}
