package dev.mailroom.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made when a test first needs one,
 * so no key material is ever checked in. The JDK's own {@code keytool} makes the key pair (the JDK has no
 * public API to sign a certificate); the trust store beside it holds only the certificate, as a client of a
 * self-signed relay would be given it. Both are PKCS12 files in a temporary directory removed at exit.
 */
public final class TestCertificate {
    private static final String ALIAS = "faulty-smtp";
    private static volatile TestCertificate shared;

    private final Path keyStoreFile;
    private final Path trustStoreFile;
    private final String password;
    private final KeyStore keyStore;
    private final KeyStore trustStore;

    private TestCertificate(Path keyStoreFile, Path trustStoreFile, String password) throws IOException,
            GeneralSecurityException {
        this.keyStoreFile = keyStoreFile;
        this.trustStoreFile = trustStoreFile;
        this.password = password;
        this.keyStore = load(keyStoreFile, password);
        Certificate cert = keyStore.getCertificate(ALIAS);
        this.trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry(ALIAS, cert);
        try (OutputStream out = Files.newOutputStream(trustStoreFile)) {
            trustStore.store(out, password.toCharArray());
        }
    }

    /**
     * One certificate per JVM, made on first use: {@code keytool} takes a while, and every test server can
     * present the same one. Tests that need a certificate nobody trusts yet call {@link #create()}.
     */
    public static TestCertificate shared() {
        TestCertificate c = shared;
        if (c == null) {
            synchronized (TestCertificate.class) {
                c = shared;
                if (c == null) shared = c = create();
            }
        }
        return c;
    }

    /** A fresh key pair and certificate, trusted by nothing but its own {@link #trustStore()}. */
    public static TestCertificate create() {
        try {
            Path dir = Files.createTempDirectory("mailroom-cert");
            Path keys = dir.resolve("server.p12");
            Path trust = dir.resolve("trust.p12");
            dir.toFile().deleteOnExit();
            keys.toFile().deleteOnExit();
            trust.toFile().deleteOnExit();
            String password = "test-" + Long.toHexString(System.nanoTime());
            // A name of its own, so a client holding another test certificate cannot even build a path.
            String name = "CN=localhost, OU=" + dir.getFileName() + ", O=Mailroom tests";
            keytool(List.of("-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                    "-sigalg", "SHA256withECDSA", "-validity", "2", "-dname", name,
                    "-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:::1", "-storetype", "PKCS12",
                    "-keystore", keys.toString(), "-storepass", password, "-keypass", password));
            return new TestCertificate(keys, trust, password);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the generated key store cannot be read", e);
        }
    }

    /** The PKCS12 file holding only the certificate: what a client is told to trust. */
    public Path trustStore() {
        return trustStoreFile;
    }

    /** The password of both the {@link #trustStore()} and the server's key store. */
    public String password() {
        return password;
    }

    /** The server side: private key and certificate, as loaded from the key store {@code keytool} wrote. */
    public KeyStore keyStore() {
        return keyStore;
    }

    /** The PKCS12 file holding the private key; few tests need it, {@link #serverContext()} is the usual way. */
    public Path keyStoreFile() {
        return keyStoreFile;
    }

    /** TLS for the server end of a connection, presenting this certificate. */
    public SSLContext serverContext() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, password.toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client socket factory that trusts this certificate and nothing else. */
    public SSLSocketFactory clientSocketFactory() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore load(Path file, String password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password.toCharArray());
        }
        return ks;
    }

    private static void keytool(List<String> args) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>();
        command.add(keytool.toString());
        // keytool is a short-lived JVM: the quick compiler and the simple collector halve its start on a busy machine
        command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output;
            try (InputStream in = p.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("keytool did not finish within 60 s");
            }
            if (p.exitValue() != 0) throw new IOException("keytool failed (" + p.exitValue() + "): " + output.trim());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while keytool ran", e);
        }
    }
}
