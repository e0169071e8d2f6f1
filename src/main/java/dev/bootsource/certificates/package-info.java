/**
 * Self-managed webhook certificates: BootSource's own CA and serving certificate, kept in a Secret in its
 * namespace, written to the files the webhook serves, and the CA written into BootSource's own
 * MutatingWebhookConfiguration. The alternative to cert-manager; see docs/operations.md.
 */
package dev.bootsource.certificates;
