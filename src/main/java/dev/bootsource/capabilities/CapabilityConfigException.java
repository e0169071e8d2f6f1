package dev.bootsource.capabilities;

/** The provisioner data or an admin override cannot be used; the message names the source and the problem. */
public class CapabilityConfigException extends RuntimeException {

    public CapabilityConfigException(String message) {
        super(message);
    }
}
