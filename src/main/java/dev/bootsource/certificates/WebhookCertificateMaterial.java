package dev.bootsource.certificates;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
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
 * @param caKey       the current CA's private key (PKCS#8 PEM)
 * @param certificate the serving certificate (PEM), signed by the current CA
 * @param key         its private key (PKCS#8 PEM)
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
        KeyPair ca = newKeyPair();
        X509Certificate caCertificate = caCertificate(ca, now);
        KeyPair serving = newKeyPair();
        X509Certificate certificate = servingCertificate(serving, dnsNames, caCertificate, ca.getPrivate(), now);
        return new WebhookCertificateMaterial(pem(caCertificate), pem(ca.getPrivate()), pem(certificate), pem(serving.getPrivate()));
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
            KeyPair serving = newKeyPair();
            X509Certificate renewed = servingCertificate(serving, dnsNames, ca, privateKey(caKey), now);
            return new WebhookCertificateMaterial(caBundle, caKey, pem(renewed), pem(serving.getPrivate()));
        }
        WebhookCertificateMaterial fresh = issue(dnsNames, now);
        List<X509Certificate> previous = new ArrayList<>();
        try {
            certificates(caBundle).stream().limit(1).filter(ca -> ca.getNotAfter().toInstant().isAfter(now)).forEach(previous::add);
        } catch (RuntimeException unreadable) {
            // nothing worth keeping
        }
        return new WebhookCertificateMaterial(fresh.caBundle() + pem(previous), fresh.caKey(), fresh.certificate(), fresh.key());
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

    static List<X509Certificate> certificates(String pem) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Collection<? extends java.security.cert.Certificate> read = factory.generateCertificates(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            return read.stream().map(X509Certificate.class::cast).toList();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PEM certificate: " + e.getMessage(), e);
        }
    }

    static PrivateKey privateKey(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object read = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (read instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (read instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            throw new IllegalArgumentException("not a PEM private key");
        } catch (IOException e) {
            throw new IllegalArgumentException("not a PEM private key: " + e.getMessage(), e);
        }
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
                    if (Integer.valueOf(GeneralName.dNSName).equals(name.get(0))) {
                        names.add(String.valueOf(name.get(1)));
                    }
                }
            }
        } catch (GeneralSecurityException e) {
            return Set.of();
        }
        return names;
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a key pair: " + e.getMessage(), e);
        }
    }

    private static X509Certificate caCertificate(KeyPair ca, Instant now) {
        X500Name subject = new X500Name("CN=BootSource webhook CA " + now.getEpochSecond() + ",O=BootSource");
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(CA_VALIDITY)), subject, ca.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return sign(builder, ca.getPrivate());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static X509Certificate servingCertificate(KeyPair serving, List<String> dnsNames, X509Certificate ca,
                                                      PrivateKey caKey, Instant now) {
        try {
            Instant notAfter = now.plus(CERTIFICATE_VALIDITY);
            if (notAfter.isAfter(ca.getNotAfter().toInstant())) {
                notAfter = ca.getNotAfter().toInstant();
            }
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(X500Name.getInstance(
                    ca.getSubjectX500Principal().getEncoded()), serial(), Date.from(now.minus(BACKDATE)), Date.from(notAfter),
                    new X500Name("CN=" + dnsNames.get(0)), serving.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(dnsNames.stream()
                    .map(name -> new GeneralName(GeneralName.dNSName, name)).toArray(GeneralName[]::new)));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            return sign(builder, caKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot sign a certificate: " + e.getMessage(), e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(64, new SecureRandom()).add(BigInteger.ONE);
    }

    private static String pem(Object... objects) {
        return pem(List.of(objects));
    }

    private static String pem(List<?> objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                writer.writeObject(object instanceof PrivateKey key
                        ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null) : object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
