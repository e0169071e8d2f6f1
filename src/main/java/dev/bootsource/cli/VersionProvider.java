package dev.bootsource.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version the build stamped into the jar (its manifest, else a resource written at build time). */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"bootsource " + version(), "Java " + System.getProperty("java.version")};
    }

    static String version() {
        String version = BootSourceCommand.class.getPackage().getImplementationVersion();
        if (version != null && !version.isBlank()) {
            return version;
        }
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String stamped = properties.getProperty("version", "");
                if (!stamped.isBlank() && !stamped.startsWith("${")) {
                    return stamped;
                }
            }
        } catch (IOException e) {
            // fall through: an unreadable resource means an unstamped build
        }
        return "unknown (built without Maven)";
    }
}
