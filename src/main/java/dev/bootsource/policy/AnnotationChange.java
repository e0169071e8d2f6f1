package dev.bootsource.policy;

/** One annotation BootSource adds, replaces or removes on a StorageProfile, and why. */
public record AnnotationChange(Op op, String key, String value, String reason) {

    public enum Op {
        ADD, REPLACE, REMOVE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
