# The operator image: the runnable jar on a JRE. Build the jar first (`mvn -B package`), then
# `docker build -t <registry>/bootsource:0.1.0 .` and point deploy/operator.yaml at that image.
FROM eclipse-temurin:17-jre
COPY target/bootsource.jar /opt/bootsource/bootsource.jar
# A numeric non-root user, so the Deployment's runAsNonRoot check can verify it.
USER 65532:65532
# A JVM that ran out of memory exits (and is restarted) instead of lingering half-broken.
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/bootsource/bootsource.jar"]
CMD ["run"]
