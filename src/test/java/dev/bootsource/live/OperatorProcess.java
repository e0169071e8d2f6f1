package dev.bootsource.live;

import dev.bootsource.cli.BootSourceCommand;
import dev.bootsource.cli.LogfmtLogging;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code bootsource run} in a JVM of its own, as it runs in a pod: the jar as built (system property
 * {@code bootsource.jar}, set by the build for the live suite), else the compiled classes and the runtime
 * dependencies (the JDK HTTP client, as in the jar) with the jar's logging configuration.
 */
public final class OperatorProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private OperatorProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * @param jvmOptions options for the operator's JVM, e.g. heap sizing
     * @param runArgs    arguments after {@code run}
     */
    public static OperatorProcess start(Path kubeconfig, Path log, List<String> jvmOptions, List<String> runArgs) throws IOException {
        String jar = System.getProperty("bootsource.jar");
        if (jar != null && Files.isRegularFile(Path.of(jar))) {
            return startJar(Path.of(jar), kubeconfig, log, jvmOptions, runArgs);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-D" + LogfmtLogging.FORMAT_PROPERTY + "=logfmt");
        command.add("-cp");
        command.add(runtimeClasspath());
        command.add(BootSourceCommand.class.getName());
        command.add("run");
        command.addAll(runArgs);
        ProcessBuilder launch = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        launch.environment().put("KUBECONFIG", kubeconfig.toString());
        return new OperatorProcess(launch.start(), log);
    }

    /** {@code java OPTIONS -jar JAR run ARGS}: the runnable jar, as the container image starts it. */
    public static OperatorProcess startJar(Path jar, Path kubeconfig, Path log, List<String> jvmOptions, List<String> runArgs)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.add("run");
        command.addAll(runArgs);
        ProcessBuilder launch = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        launch.environment().put("KUBECONFIG", kubeconfig.toString());
        return new OperatorProcess(launch.start(), log);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** The last lines of the operator's log, for failure messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Resident memory (VmRSS) of the operator process, in KiB. */
    public long residentKib() throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .map(line -> line.replaceAll("\\D", ""))
                .mapToLong(Long::parseLong)
                .findFirst()
                .orElse(-1);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /**
     * This JVM's classpath (Surefire's test classpath when under Surefire) without the test-only second
     * HTTP client, so the operator uses the JDK one as the jar does.
     */
    private static String runtimeClasspath() {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(classpath.split(File.pathSeparator))
                .filter(entry -> !entry.contains("kubernetes-httpclient-vertx"))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
