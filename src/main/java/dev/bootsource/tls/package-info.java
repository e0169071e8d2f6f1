/**
 * TLS material with the JDK alone, for the webhook and the self-managed CA alike: PEM certificates and
 * private keys read and written ({@link dev.bootsource.tls.Pem}), and X.509 certificates issued
 * ({@link dev.bootsource.tls.CertificateTemplate}) with the little DER the JDK has no API for.
 */
package dev.bootsource.tls;
