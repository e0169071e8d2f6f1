package dev.bootsource.capabilities;

/** The name under which provisioner facts are looked up: the provisioner, refined by class parameters. */
public record ProvisionerKey(String value) {

    public ProvisionerKey {
        if (value == null) {
            throw new IllegalArgumentException("a provisioner key cannot be null");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
