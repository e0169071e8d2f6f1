package dev.bootsource.operator;

/** Where BootSource stands with watching one kind of object. */
public enum ResourceState {
    /** Not asked yet, or the API server could not be asked; asked again soon. */
    NOT_CHECKED,
    /** The cluster does not serve the kind (its CRD is missing); asked again periodically. */
    NOT_SERVED,
    /** RBAC forbids listing or watching the kind; tried again periodically. */
    FORBIDDEN,
    /** The informer is listing; it retries on its own until it has synced. */
    STARTING,
    /** The cache is filled and kept current by a watch. */
    SYNCED,
    /** BootSource is shutting down. */
    STOPPED
}
