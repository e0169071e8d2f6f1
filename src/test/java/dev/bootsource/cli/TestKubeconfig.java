package dev.bootsource.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A kubeconfig for the mock API server: one cluster and user, the named contexts, the first one current. */
final class TestKubeconfig {

    private TestKubeconfig() {
    }

    static Path write(Path dir, String url, String... contexts) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("kubeconfig");
        StringBuilder contextEntries = new StringBuilder();
        for (String context : contexts) {
            contextEntries.append("- name: ").append(context).append('\n')
                    .append("  context: {cluster: mock, user: admin, namespace: default}\n");
        }
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                    insecure-skip-tls-verify: true
                users:
                - name: admin
                  user:
                    token: secret
                contexts:
                %scurrent-context: %s
                """.formatted(url, contextEntries, contexts[0]));
        return file;
    }
}
