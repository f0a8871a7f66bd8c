package dev.mailroom.worker.smtp;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a server when any one of its trust managers does: the JDK's default anchors plus a store of our
 * own. Each manager does its full check, the host name included (the JDK's managers check it when the
 * socket asks for endpoint identification, as Angus's {@code ssl.checkserveridentity} does).
 */
final class UnionTrustManager extends X509ExtendedTrustManager {
    private final List<X509ExtendedTrustManager> managers;

    UnionTrustManager(List<X509ExtendedTrustManager> managers) {
        if (managers.isEmpty()) throw new IllegalArgumentException("no trust manager");
        this.managers = List.copyOf(managers);
    }

    private interface Check {
        void run(X509ExtendedTrustManager m) throws CertificateException;
    }

    private void anyOf(Check check) throws CertificateException {
        CertificateException first = null;
        for (X509ExtendedTrustManager m : managers) {
            try {
                check.run(m);
                return;
            } catch (CertificateException e) {
                if (first == null) first = e;
                else first.addSuppressed(e);
            }
        }
        throw first;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        anyOf(m -> m.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        anyOf(m -> m.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        anyOf(m -> m.checkServerTrusted(chain, authType));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        anyOf(m -> m.checkClientTrusted(chain, authType, socket));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        anyOf(m -> m.checkClientTrusted(chain, authType, engine));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        anyOf(m -> m.checkClientTrusted(chain, authType));
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return managers.stream().flatMap(m -> Arrays.stream(m.getAcceptedIssuers())).toArray(X509Certificate[]::new);
    }
}
