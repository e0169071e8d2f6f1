package dev.bootsource.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bootsource.policy.verify.Check;
import dev.bootsource.policy.verify.CheckArea;
import dev.bootsource.policy.verify.CheckResult;
import dev.bootsource.policy.verify.CronStorage;
import dev.bootsource.policy.verify.SetupVerifier;
import dev.bootsource.policy.verify.VerifyReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code verify}: the checks of step 7 of the manual GCP workaround, over a cluster state read from files. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check that the cluster state in FILE... has golden images on the right storage (the manual GCP workaround, "
                + "Step 7): golden snapshots on the boot-source snapshot class, golden volumes ReadWriteOnce where the "
                + "policy says so, StorageProfiles with no pending annotation changes, and VM disks and VM snapshots "
                + "on the defaults.",
                "Input as for plan: `kubectl get storageclasses,volumesnapshotclasses,storageprofiles -o yaml` and "
                        + "`kubectl get dataimportcrons,volumesnapshots,pvc -A -o yaml`."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:every check passed (warnings allowed)",
                "1:an unexpected error",
                "2:bad input or configuration",
                "3:at least one check failed"})
final class VerifyCommand implements Callable<Integer> {

    /** The exit code when a check failed. */
    static final int CHECK_FAILED = 3;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (for people) or json. Default: ${DEFAULT-VALUE}.")
    OutputFormat format = OutputFormat.table;

    @Mixin
    ClusterFiles clusterFiles;

    @Mixin
    PolicyOptionsMixin policyOptions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        SetupVerifier verifier = new SetupVerifier(policyOptions.policy());
        ClusterFiles.Read read = clusterFiles.read(spec.commandLine().getErr());
        VerifyReport report = verifier.verify(read.cluster());
        PrintWriter out = spec.commandLine().getOut();
        out.print(format == OutputFormat.json ? json(report) + "\n" : table(report, spec.commandLine().getColorScheme().ansi()));
        out.flush();
        return report.passed() ? 0 : CHECK_FAILED;
    }

    static String json(VerifyReport report) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode root = nodes.objectNode();
        root.put("result", report.passed() ? "pass" : "fail");
        ObjectNode summary = root.putObject("summary");
        for (CheckResult result : CheckResult.values()) {
            summary.put(result.label(), report.count(result));
        }
        ArrayNode crons = root.putArray("dataImportCrons");
        for (CronStorage cron : report.dataImportCrons()) {
            ObjectNode node = crons.addObject().put("namespace", cron.namespace()).put("name", cron.name());
            node.put("storageClass", cron.storageClass().orElse(null));
            node.put("storageClassFrom", cron.source().label());
            node.put("readWriteOnce", cron.readWriteOnce());
            node.put("snapshotClass", cron.snapshotClass().orElse(null));
        }
        ArrayNode checks = root.putArray("checks");
        for (Check check : report.checks()) {
            checks.addObject()
                    .put("area", check.area().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                    .put("subject", check.subject())
                    .put("check", check.check())
                    .put("result", check.result().label())
                    .put("reason", check.reason());
        }
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    static String table(VerifyReport report, Ansi ansi) {
        StringBuilder out = new StringBuilder();
        out.append(ansi.string("@|bold DataImportCrons (" + report.dataImportCrons().size() + ")|@")).append('\n');
        if (report.dataImportCrons().isEmpty()) {
            out.append("  none in the input\n");
        } else {
            Table crons = new Table("NAMESPACE/NAME", "STORAGE CLASS", "FROM", "GOLDEN RWO", "SNAPSHOT CLASS");
            for (CronStorage cron : report.dataImportCrons()) {
                crons.row(cron.namespace() + "/" + cron.name(), cron.storageClass().orElse("-"), cron.source().label(),
                        cron.readWriteOnce() ? "yes" : "no", cron.snapshotClass().orElse("-"));
            }
            out.append(crons.render());
        }
        for (CheckArea area : CheckArea.values()) {
            List<Check> checks = report.checks(area);
            if (checks.isEmpty()) {
                continue;
            }
            out.append('\n').append(ansi.string("@|bold " + area.title() + "|@")).append('\n');
            Table table = new Table("RESULT", "SUBJECT", "CHECK");
            checks.forEach(check -> table.row(check.result().name(), check.subject(), check.check()));
            String rendered = table.render();
            for (CheckResult result : CheckResult.values()) {
                rendered = rendered.replace("\n  " + result.name() + " ", "\n  " + colour(ansi, result) + " ");
            }
            out.append(rendered);
            for (Check check : checks) {
                if (check.result() != CheckResult.PASS) {
                    out.append("  ").append(colour(ansi, check.result())).append(' ').append(check.subject())
                            .append(": ").append(check.reason()).append('\n');
                }
            }
        }
        out.append('\n').append(ansi.string("@|bold Summary:|@ "))
                .append(report.count(CheckResult.PASS)).append(" passed, ")
                .append(report.count(CheckResult.WARN)).append(" warning(s), ")
                .append(report.count(CheckResult.FAIL)).append(" failed: ")
                .append(report.passed() ? ansi.string("@|green,bold PASS|@") : ansi.string("@|red,bold FAIL|@"))
                .append('\n');
        return out.toString();
    }

    private static String colour(Ansi ansi, CheckResult result) {
        String style = switch (result) {
            case PASS -> "green";
            case WARN -> "yellow";
            case FAIL -> "red";
        };
        return ansi.string("@|" + style + " " + result.name() + "|@");
    }
}
