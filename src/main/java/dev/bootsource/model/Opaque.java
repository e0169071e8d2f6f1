package dev.bootsource.model;

/** A spec or status section BootSource carries as it came and never interprets. */
public class Opaque extends Preserved {
}
