package dev.mailroom.capture;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local SMTP capture server for development: accepts any mail on 127.0.0.1 (no auth, any
 * recipient), keeps it in memory and exposes a tiny JSON API to count, list and purge it. Each recipient's
 * mail is also readable over IMAP (any password), so a sender's bounce mailbox can point at it.
 *
 * <p>Environment: {@code CAPTURE_SMTP_PORT} (default 2525), {@code CAPTURE_HTTP_PORT} (default
 * 2580), {@code CAPTURE_IMAP_PORT} (default 2143). Runs in the foreground until SIGTERM / Ctrl-C.
 */
public final class CaptureMain {
    private static final Logger log = LoggerFactory.getLogger(CaptureMain.class);
    static final String HOST = "127.0.0.1";

    private CaptureMain() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        int smtpPort = portFromEnv("CAPTURE_SMTP_PORT", 2525);
        int httpPort = portFromEnv("CAPTURE_HTTP_PORT", 2580);
        int imapPort = portFromEnv("CAPTURE_IMAP_PORT", 2143);

        GreenMail greenMail = new GreenMail(new ServerSetup[] {
                    new ServerSetup(smtpPort, HOST, ServerSetup.PROTOCOL_SMTP),
                    new ServerSetup(imapPort, HOST, ServerSetup.PROTOCOL_IMAP)})
                .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        greenMail.start();
        CaptureHttpApi api = CaptureHttpApi.start(HOST, httpPort, new CapturedMail(greenMail));

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Stopping capture server");
            api.stop();
            greenMail.stop();
            log.info("Capture server stopped");
            stopped.countDown();
        }, "capture-shutdown"));

        log.info("Capture SMTP listening on {}:{}, IMAP on {}:{}; HTTP API on http://{}:{}/messages/count",
                HOST, smtpPort, HOST, imapPort, HOST, httpPort);
        stopped.await();
    }

    private static int portFromEnv(String name, int fallback) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException("out of range");
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a TCP port (1-65535), got '" + value + "'", e);
        }
    }
}
