package dev.bootsource.cli;

import dev.bootsource.capabilities.CapabilityCatalog;
import dev.bootsource.capabilities.CapabilityCatalogLoader;
import dev.bootsource.capabilities.CapabilityConfigException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the admin's provisioner config file (`--config`); the catalog itself never touches files. */
public final class ProvisionerConfigFile {

    private ProvisionerConfigFile() {
    }

    /** The bundled data with the overrides of the given file (YAML or JSON) laid over it. */
    public static CapabilityCatalog load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new CapabilityConfigException(file + ": cannot read provisioner config: no such file");
        } catch (IOException e) {
            throw new CapabilityConfigException(file + ": cannot read provisioner config: " + e.getMessage());
        }
        return CapabilityCatalogLoader.withOverrides(text, file.toString());
    }
}
