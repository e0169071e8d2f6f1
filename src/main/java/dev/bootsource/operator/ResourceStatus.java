package dev.bootsource.operator;

/**
 * How watching one kind of object stands, for readiness and logs.
 *
 * @param api     the kind as {@code plural.group/version}
 * @param feature what depends on it
 * @param state   where it stands
 * @param detail  one line saying why
 */
public record ResourceStatus(String api, String feature, ResourceState state, String detail) {
}
