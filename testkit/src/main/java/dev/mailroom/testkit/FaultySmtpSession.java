package dev.mailroom.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One SMTP connection of {@link FaultySmtpServer}. Commands are answered strictly in order from a
 * buffered reader, so a pipelining client works too. Bytes are read as ISO-8859-1 to keep them intact.
 * After STARTTLS the reader and writer are replaced and the session starts over, as RFC 3207 requires.
 */
final class FaultySmtpSession {
    private final FaultySmtpServer server;
    private Socket socket;
    private BufferedReader in;
    private Writer out;
    private boolean tls;
    private boolean authenticated;
    private String from;
    private final List<String> to = new ArrayList<>();

    FaultySmtpSession(FaultySmtpServer server, Socket socket, boolean tls) throws IOException {
        this.server = server;
        this.tls = tls;
        attach(socket);
    }

    void run() throws IOException {
        server.pauseBeforeGreeting();
        write(server.greeting());
        for (String line; (line = in.readLine()) != null; ) {
            String verb = (line.contains(" ") ? line.substring(0, line.indexOf(' ')) : line).toUpperCase(Locale.ROOT);
            String arg = line.length() > verb.length() ? line.substring(verb.length()).trim() : "";
            switch (verb) {
                case "EHLO" -> {
                    reset();
                    reply("250-faulty-smtp\r\n250-PIPELINING\r\n250-8BITMIME\r\n"
                            + (server.offersStartTls() && !tls ? "250-STARTTLS\r\n" : "") + "250 AUTH PLAIN LOGIN");
                }
                case "HELO" -> {
                    reset();
                    reply("250 faulty-smtp");
                }
                case "STARTTLS" -> startTls();
                case "AUTH" -> auth(arg);
                case "MAIL" -> mail(address(arg));
                case "RCPT" -> rcpt(address(arg));
                case "DATA" -> {
                    if (!data()) return;
                }
                case "RSET" -> {
                    reset();
                    reply("250 2.0.0 ok");
                }
                case "NOOP" -> reply("250 2.0.0 ok");
                case "QUIT" -> {
                    reply("221 2.0.0 bye");
                    return;
                }
                default -> reply("500 5.5.1 command not recognised");
            }
        }
    }

    private void startTls() throws IOException {
        if (tls) {
            reply("503 5.5.1 TLS already active");
            return;
        }
        if (!server.offersStartTls()) {
            reply("500 5.5.1 command not recognised");
            return;
        }
        reply("220 2.0.0 ready to start TLS");
        // A client that does not trust the certificate fails the handshake: the connection just ends.
        attach(server.upgrade(socket));
        tls = true;
        authenticated = false;
        reset();
    }

    private void mail(String sender) throws IOException {
        reset();
        if (server.requiresTls() && !tls) {
            reply(FaultySmtpServer.TLS_REQUIRED);
            return;
        }
        if (server.auth().required() && !authenticated) {
            reply(SmtpAuth.AUTH_REQUIRED);
            return;
        }
        Optional<String> fault = server.faults().atMail(sender);
        if (fault.isPresent()) {
            reply(fault.get());
            return;
        }
        from = sender;
        reply("250 2.1.0 ok");
    }

    private void rcpt(String address) throws IOException {
        if (from == null) {
            reply("503 5.5.1 MAIL first");
            return;
        }
        Optional<String> fault = server.faults().atRcpt(address);
        if (fault.isPresent()) {
            reply(fault.get());
            return;
        }
        to.add(address);
        reply("250 2.1.5 ok");
    }

    /** False when the connection was dropped on purpose. */
    private boolean data() throws IOException {
        if (to.isEmpty()) {
            reply("503 5.5.1 RCPT first");
            return true;
        }
        reply("354 end data with <CR><LF>.<CR><LF>");
        StringBuilder body = new StringBuilder();
        for (String line; !".".equals(line = in.readLine()); ) {
            if (line == null) throw new IOException("connection closed during DATA");
            body.append(line.startsWith("..") ? line.substring(1) : line).append("\r\n");
        }
        // A refusal after the terminator means the server did not take the message: nothing to record.
        Optional<String> refusal = server.faults().afterData(from, to);
        if (refusal.isPresent()) {
            reset();
            server.pauseAfterMessage();
            reply(refusal.get());
            return true;
        }
        // The terminator arrived: a real server may now hold the message, whatever happens next.
        String messageId = headerOf(body, "Message-ID");
        for (String r : to) server.record(new ReceivedMail(from, r, messageId, body.toString()));
        boolean drop = server.faults().dropAfterData(to);
        reset();
        if (drop) return false;
        server.pauseAfterMessage();
        reply(server.acceptedReply());
        return true;
    }

    private void auth(String arg) throws IOException {
        if (server.requiresTls() && !tls) {
            reply(FaultySmtpServer.TLS_REQUIRED);
            return;
        }
        if (authenticated) {
            reply("503 5.5.1 already authenticated");
            return;
        }
        String[] parts = arg.split(" ");
        String mechanism = parts[0].toUpperCase(Locale.ROOT);
        String username;
        String password;
        if ("PLAIN".equals(mechanism)) {
            String response = decode(parts.length < 2 ? challenge("") : parts[1]);
            String[] fields = response == null ? new String[0] : response.split("\0", -1);
            if (fields.length != 3) {
                reply("501 5.5.2 cannot decode AUTH PLAIN response");
                return;
            }
            username = fields[1];
            password = fields[2];
        } else if ("LOGIN".equals(mechanism)) {
            username = decode(parts.length < 2 ? challenge("VXNlcm5hbWU6") : parts[1]);
            password = username == null ? null : decode(challenge("UGFzc3dvcmQ6"));
            if (password == null) {
                reply("501 5.5.2 cannot decode AUTH LOGIN response");
                return;
            }
        } else {
            reply("504 5.5.4 mechanism not supported");
            return;
        }
        String refusal = server.auth().refusalFor(username, password);
        if (refusal != null) {
            reply(refusal);
            return;
        }
        authenticated = true;
        server.recordLogin();
        reply("235 2.7.0 authenticated");
    }

    private String challenge(String prompt) throws IOException {
        reply("334 " + prompt);
        String line = in.readLine();
        if (line == null) throw new IOException("connection closed during AUTH");
        return line;
    }

    /** Null for a cancelled exchange ({@code *}) or text that is not base64. */
    private static String decode(String base64) {
        if ("*".equals(base64)) return null;
        try {
            return new String(Base64.getDecoder().decode(base64.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
        out = new OutputStreamWriter(s.getOutputStream(), StandardCharsets.ISO_8859_1);
    }

    private void reset() {
        from = null;
        to.clear();
    }

    private void reply(String text) throws IOException {
        server.pauseBeforeReply();
        write(text);
    }

    private void write(String text) throws IOException {
        out.write(text + "\r\n");
        out.flush();
    }

    private static String address(String arg) {
        int lt = arg.indexOf('<');
        int gt = arg.indexOf('>', lt + 1);
        return lt >= 0 && gt > lt ? arg.substring(lt + 1, gt) : arg.replaceFirst("(?i)^(FROM|TO):", "").trim();
    }

    private static String headerOf(CharSequence message, String name) {
        String prefix = name.toLowerCase(Locale.ROOT) + ":";
        for (String line : message.toString().split("\r\n")) {
            if (line.isEmpty()) return null;
            if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) return line.substring(prefix.length()).trim();
        }
        return null;
    }
}
