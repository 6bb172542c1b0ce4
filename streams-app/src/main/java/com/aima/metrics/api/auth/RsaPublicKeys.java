package com.aima.metrics.api.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** RSA public keys from PEM files ({@code -----BEGIN PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo), as OpenSSL writes them. */
final class RsaPublicKeys {

    private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String END = "-----END PUBLIC KEY-----";

    private RsaPublicKeys() {
    }

    /** @throws IllegalArgumentException naming the file when it cannot be read or holds no RSA public key */
    static RSAPublicKey read(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the file " + file + ": " + e + ".", e);
        }
        int begin = pem.indexOf(BEGIN);
        int end = pem.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(file + " holds no PEM block between '" + BEGIN + "' and '" + END
                    + "'.");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN.length(), end));
            PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
            return (RSAPublicKey) key;
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the public key in " + file + " is not an RSA public key: " + e + ".",
                    e);
        }
    }
}
