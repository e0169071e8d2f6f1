package dev.bootsource.cli;

import picocli.CommandLine;

/** The version from the jar manifest, or "dev" when run from classes. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = BootSourceCommand.class.getPackage().getImplementationVersion();
        return new String[] {"bootsource " + (version == null ? "dev" : version)};
    }
}
