package dev.mailroom.worker.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Extra certificates the worker trusts for its SMTP relays, for a relay whose certificate no public
 * authority signed (self-signed, or a company CA): a PKCS12 file, named by {@code MAILROOM_SMTP_TRUSTSTORE}.
 * It adds to the JDK's own trust rather than replacing it, because one worker serves every sender and a
 * store made for one private relay must not break the senders on public providers. Nothing else is
 * trusted, and the relay's host name is still checked against its certificate: there is no "trust
 * everything" switch.
 *
 * @param password the store's password, or null for a store written without one
 */
public record SmtpTrustStore(Path path, String password) {
    public SmtpTrustStore {
        Objects.requireNonNull(path, "path");
    }

    /**
     * TLS sockets that trust this store's certificates and the JDK's. Reads the store now, so a wrong path
     * or password stops the worker at start, not at its first TLS connection.
     */
    public SSLSocketFactory socketFactory() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(path)) {
                store.load(in, password == null ? null : password.toCharArray());
            }
            if (!hasCertificates(store)) {
                throw new IllegalArgumentException("MAILROOM_SMTP_TRUSTSTORE " + path + " holds no trusted certificate");
            }
            List<X509ExtendedTrustManager> managers = new ArrayList<>(trustManagers(store));
            managers.addAll(trustManagers(null)); // the JDK's default trust anchors
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new UnionTrustManager(managers)}, null);
            return ctx.getSocketFactory();
        } catch (IOException e) {
            throw new IllegalArgumentException("MAILROOM_SMTP_TRUSTSTORE " + path + " cannot be read: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("MAILROOM_SMTP_TRUSTSTORE " + path + " is not a usable PKCS12 trust store: "
                    + e.getMessage(), e);
        }
    }

    /** Trust managers over this key store, or over the JDK's default trust anchors for null. */
    static List<X509ExtendedTrustManager> trustManagers(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        List<X509ExtendedTrustManager> managers = new ArrayList<>();
        for (TrustManager m : tmf.getTrustManagers()) {
            if (m instanceof X509ExtendedTrustManager x) managers.add(x);
        }
        return managers;
    }

    private static boolean hasCertificates(KeyStore store) throws GeneralSecurityException {
        for (String alias : Collections.list(store.aliases())) {
            if (store.isCertificateEntry(alias)) return true;
        }
        return false;
    }

    /** The password stays out of logs (I14). */
    @Override
    public String toString() {
        return "SmtpTrustStore[path=" + path + ", password=" + (password == null ? "none" : "***") + "]";
    }
}
