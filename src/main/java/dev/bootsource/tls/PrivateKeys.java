package dev.bootsource.tls;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The DER around private keys: which algorithm a PKCS#8 key is for, and PKCS#1 (RSA) and SEC1 (EC)
 * keys rewrapped as PKCS#8 (RFC 5208, RFC 5915 section 3), the one form the JDK's key factories read.
 */
final class PrivateKeys {

    static final String RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
    static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";
    private static final Map<String, String> ALGORITHMS = Map.of(
            RSA_ENCRYPTION, "RSA",
            EC_PUBLIC_KEY, "EC",
            "1.2.840.113549.1.1.10", "RSASSA-PSS",
            "1.3.101.112", "Ed25519",
            "1.3.101.113", "Ed448");

    private PrivateKeys() {
    }

    /** A PKCS#8 key of whichever algorithm its AlgorithmIdentifier names. */
    static PrivateKey fromPkcs8(byte[] pkcs8) throws GeneralSecurityException {
        return KeyFactory.getInstance(algorithm(pkcs8)).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    /**
     * The JDK algorithm name of a PKCS#8 {@code PrivateKeyInfo}.
     *
     * @throws NoSuchAlgorithmException for a key of another algorithm
     */
    static String algorithm(byte[] pkcs8) throws NoSuchAlgorithmException {
        List<Der.Element> info = Der.read(pkcs8).children();
        if (info.size() < 3 || info.get(1).tag() != Der.SEQUENCE) {
            throw new IllegalArgumentException("not a PKCS#8 PrivateKeyInfo");
        }
        String oid = info.get(1).children().get(0).oid();
        String algorithm = ALGORITHMS.get(oid);
        if (algorithm == null) {
            throw new NoSuchAlgorithmException("unsupported private key algorithm " + oid);
        }
        return algorithm;
    }

    /** {@code RSA PRIVATE KEY} (PKCS#1 RSAPrivateKey) as PKCS#8. */
    static byte[] pkcs8FromPkcs1(byte[] pkcs1) {
        Der.read(pkcs1); // well-formed, or an error naming DER
        return Der.sequence(Der.integer(0), Der.sequence(Der.oid(RSA_ENCRYPTION), Der.nullValue()), Der.octetString(pkcs1));
    }

    /**
     * {@code EC PRIVATE KEY} (SEC1 ECPrivateKey) as PKCS#8. The curve is the key's own {@code [0]}
     * parameters, else the {@code EC PARAMETERS} block openssl writes before the key.
     */
    static byte[] pkcs8FromSec1(byte[] sec1, Optional<String> curveBeforeKey) {
        List<Der.Element> key = Der.read(sec1).children();
        if (key.size() < 2 || key.get(0).tag() != Der.INTEGER || key.get(1).tag() != Der.OCTET_STRING) {
            throw new IllegalArgumentException("not a SEC1 ECPrivateKey");
        }
        Optional<String> curve = key.stream().filter(element -> element.tag() == 0xA0).findFirst()
                .map(parameters -> parameters.children().get(0).oid())
                .or(() -> curveBeforeKey);
        if (curve.isEmpty()) {
            throw new IllegalArgumentException("the EC key does not name its curve");
        }
        return Der.sequence(Der.integer(0), Der.sequence(Der.oid(EC_PUBLIC_KEY), Der.oid(curve.get())), Der.octetString(sec1));
    }
}
