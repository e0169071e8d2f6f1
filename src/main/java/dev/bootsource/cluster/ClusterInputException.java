package dev.bootsource.cluster;

/** Cluster state input that cannot be used; the message names the file, the object and the problem. */
public class ClusterInputException extends RuntimeException {

    public ClusterInputException(String message) {
        super(message);
    }
}
