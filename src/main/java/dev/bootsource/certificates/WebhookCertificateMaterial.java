package dev.bootsource.certificates;

import dev.bootsource.tls.CertificateTemplate;
import dev.bootsource.tls.KeyPairs;
import dev.bootsource.tls.Pem;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The webhook's CA and serving certificate as PEM text, the way they are kept in the Secret
 * ({@code ca.crt}, {@code ca.key}, {@code tls.crt}, {@code tls.key}), and the pure decision whether they
 * still do: no client, no clock of its own.
 *
 * @param caBundle    the CA certificates the API server trusts: the current CA first, then a previous
 *                    one while certificates it signed may still be served
 * @param caKey       the current CA's private key (PEM: written as PKCS#8, read also as SEC1 or PKCS#1)
 * @param certificate the serving certificate (PEM), signed by the current CA
 * @param key         its private key (PEM, as {@code caKey})
 */
public record WebhookCertificateMaterial(String caBundle, String caKey, String certificate, String key) {

    public static final String CA_BUNDLE = "ca.crt";
    public static final String CA_KEY = "ca.key";
    public static final String CERTIFICATE = "tls.crt";
    public static final String KEY = "tls.key";

    /** How long the CA is valid. */
    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    /** How long a serving certificate is valid. */
    static final Duration CERTIFICATE_VALIDITY = Duration.ofDays(365);
    /** A serving certificate is renewed this long before it expires. */
    static final Duration RENEW_BEFORE = Duration.ofDays(30);
    /** Tolerates an API server whose clock is somewhat behind ours. */
    private static final Duration BACKDATE = Duration.ofHours(1);

    /** What to do with the material found in the Secret. */
    public sealed interface Verdict {
        String reason();

        /** Still good: serve it. */
        record Keep(String reason) implements Verdict {
        }

        /** A new serving certificate from the same CA. */
        record RenewCertificate(String reason) implements Verdict {
        }

        /** A new CA and serving certificate; the old CA stays in the bundle while it is valid. */
        record NewAuthority(String reason) implements Verdict {
        }
    }

    /** The four Secret entries, by key. */
    public Map<String, String> asSecretData() {
        return Map.of(CA_BUNDLE, caBundle, CA_KEY, caKey, CERTIFICATE, certificate, KEY, key);
    }

    /** Material read back from a Secret's entries (decoded); empty when an entry is missing. */
    public static Optional<WebhookCertificateMaterial> fromSecretData(Map<String, String> data) {
        if (data == null || !data.keySet().containsAll(Set.of(CA_BUNDLE, CA_KEY, CERTIFICATE, KEY))) {
            return Optional.empty();
        }
        return Optional.of(new WebhookCertificateMaterial(data.get(CA_BUNDLE), data.get(CA_KEY), data.get(CERTIFICATE),
                data.get(KEY)));
    }

    /** A new CA and a serving certificate for these DNS names. */
    public static WebhookCertificateMaterial issue(List<String> dnsNames, Instant now) {
        KeyPair ca = KeyPairs.ecP256();
        X509Certificate caCertificate = caCertificate(ca, now);
        KeyPair serving = KeyPairs.ecP256();
        X509Certificate certificate = servingCertificate(serving, dnsNames, caCertificate, ca.getPrivate(), now);
        return new WebhookCertificateMaterial(Pem.write(List.of(caCertificate)), Pem.write(ca.getPrivate()),
                Pem.write(List.of(certificate)), Pem.write(serving.getPrivate()));
    }

    /** Whether this material still serves these DNS names well at {@code now}. */
    public Verdict verdict(List<String> dnsNames, Instant now) {
        List<X509Certificate> bundle;
        X509Certificate served;
        try {
            bundle = certificates(caBundle);
            served = certificates(certificate).get(0);
            privateKey(caKey);
            privateKey(key);
        } catch (RuntimeException e) {
            return new Verdict.NewAuthority("the stored certificates cannot be read: " + e.getMessage());
        }
        if (bundle.isEmpty()) {
            return new Verdict.NewAuthority("the stored CA bundle is empty");
        }
        X509Certificate currentCa = bundle.get(0);
        if (currentCa.getNotAfter().toInstant().isBefore(now.plus(CERTIFICATE_VALIDITY).plus(RENEW_BEFORE))) {
            return new Verdict.NewAuthority("the CA expires " + currentCa.getNotAfter().toInstant()
                    + ", before a new serving certificate would");
        }
        if (!signedBy(served, currentCa)) {
            return new Verdict.RenewCertificate("the serving certificate is not signed by the current CA");
        }
        if (served.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) {
            return new Verdict.RenewCertificate("the serving certificate expires " + served.getNotAfter().toInstant());
        }
        Set<String> names = dnsNames(served);
        if (!names.containsAll(dnsNames)) {
            return new Verdict.RenewCertificate("the serving certificate is for " + names + ", not " + dnsNames);
        }
        return new Verdict.Keep("valid until " + served.getNotAfter().toInstant());
    }

    /** The material the verdict calls for: this one, a renewed certificate, or a new CA. */
    public WebhookCertificateMaterial next(Verdict verdict, List<String> dnsNames, Instant now) {
        if (verdict instanceof Verdict.Keep) {
            return this;
        }
        if (verdict instanceof Verdict.RenewCertificate) {
            X509Certificate ca = certificates(caBundle).get(0);
            KeyPair serving = KeyPairs.ecP256();
            X509Certificate renewed = servingCertificate(serving, dnsNames, ca, privateKey(caKey), now);
            return new WebhookCertificateMaterial(caBundle, caKey, Pem.write(List.of(renewed)), Pem.write(serving.getPrivate()));
        }
        WebhookCertificateMaterial fresh = issue(dnsNames, now);
        List<X509Certificate> previous = new ArrayList<>();
        try {
            certificates(caBundle).stream().limit(1).filter(ca -> ca.getNotAfter().toInstant().isAfter(now)).forEach(previous::add);
        } catch (RuntimeException unreadable) {
            // nothing worth keeping
        }
        return new WebhookCertificateMaterial(fresh.caBundle() + Pem.write(previous), fresh.caKey(), fresh.certificate(), fresh.key());
    }

    /** When the serving certificate expires. */
    public Instant certificateNotAfter() {
        return certificates(certificate).get(0).getNotAfter().toInstant();
    }

    /** The DNS names the webhook Service answers to. */
    public static List<String> serviceDnsNames(String service, String namespace) {
        return List.of(service + "." + namespace + ".svc", service, service + "." + namespace,
                service + "." + namespace + ".svc.cluster.local");
    }

    /** The certificates of PEM text; at least one. */
    static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> certificates = Pem.certificates(pem.getBytes(StandardCharsets.US_ASCII));
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("no CERTIFICATE block found");
        }
        return certificates;
    }

    /** A private key in PEM: PKCS#8 as written here, or SEC1 or PKCS#1 as other tools write them. */
    static PrivateKey privateKey(String pem) {
        return Pem.privateKey(pem.getBytes(StandardCharsets.US_ASCII));
    }

    private static boolean signedBy(X509Certificate certificate, X509Certificate ca) {
        try {
            certificate.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static Set<String> dnsNames(X509Certificate certificate) {
        Set<String> names = new HashSet<>();
        try {
            if (certificate.getSubjectAlternativeNames() != null) {
                for (List<?> name : certificate.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(CertificateTemplate.DNS_NAME).equals(name.get(0))) {
                        names.add(String.valueOf(name.get(1)));
                    }
                }
            }
        } catch (GeneralSecurityException e) {
            return Set.of();
        }
        return names;
    }

    private static X509Certificate caCertificate(KeyPair ca, Instant now) {
        return new CertificateTemplate("BootSource webhook CA " + now.getEpochSecond(), "BootSource", ca.getPublic(),
                now.minus(BACKDATE), now.plus(CA_VALIDITY), new CertificateTemplate.Authority())
                .selfSigned(ca.getPrivate());
    }

    private static X509Certificate servingCertificate(KeyPair serving, List<String> dnsNames, X509Certificate ca,
                                                      PrivateKey caKey, Instant now) {
        Instant notAfter = now.plus(CERTIFICATE_VALIDITY);
        if (notAfter.isAfter(ca.getNotAfter().toInstant())) {
            notAfter = ca.getNotAfter().toInstant();
        }
        return new CertificateTemplate(dnsNames.get(0), "BootSource", serving.getPublic(), now.minus(BACKDATE), notAfter,
                new CertificateTemplate.TlsEndpoint(dnsNames, List.of(), false))
                .signedBy(ca, caKey);
    }
}
