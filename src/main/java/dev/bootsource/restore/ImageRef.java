package dev.bootsource.restore;

import dev.bootsource.errors.InvalidInputException;

/** {@code NAMESPACE/NAME} of a DataSource or VolumeSnapshot, as given to {@code --image}. */
public record ImageRef(String namespace, String name) {

    public ImageRef {
        if (namespace == null || namespace.isBlank() || name == null || name.isBlank()) {
            throw new InvalidInputException("an image is NAMESPACE/NAME");
        }
    }

    /** @throws IllegalArgumentException when the text is not {@code NAMESPACE/NAME} */
    public static ImageRef parse(String text) {
        String[] parts = text == null ? new String[0] : text.split("/", -1);
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new InvalidInputException("--image must be NAMESPACE/NAME of a DataSource or VolumeSnapshot, got '"
                    + text + "'");
        }
        return new ImageRef(parts[0].strip(), parts[1].strip());
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
