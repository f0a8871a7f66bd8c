package dev.mailroom.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One SMTP connection of {@link FaultySmtpServer}. Commands are answered strictly in order from a
 * buffered reader, so a pipelining client works too. Bytes are read as ISO-8859-1 to keep them intact.
 */
final class FaultySmtpSession {
    private final FaultySmtpServer server;
    private final Socket socket;
    private final BufferedReader in;
    private final Writer out;
    private String from;
    private final List<String> to = new ArrayList<>();

    FaultySmtpSession(FaultySmtpServer server, Socket socket) throws IOException {
        this.server = server;
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        this.out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.ISO_8859_1);
    }

    void run() throws IOException {
        reply("220 faulty-smtp ESMTP ready");
        for (String line; (line = in.readLine()) != null; ) {
            String verb = (line.contains(" ") ? line.substring(0, line.indexOf(' ')) : line).toUpperCase(Locale.ROOT);
            String arg = line.length() > verb.length() ? line.substring(verb.length()).trim() : "";
            switch (verb) {
                case "EHLO" -> reply("250-faulty-smtp\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 AUTH PLAIN LOGIN");
                case "HELO" -> reply("250 faulty-smtp");
                case "AUTH" -> auth(arg);
                case "MAIL" -> {
                    reset();
                    from = address(arg);
                    reply("250 2.1.0 ok");
                }
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
        // The terminator arrived: a real server may now hold the message, whatever happens next.
        String messageId = headerOf(body, "Message-ID");
        for (String r : to) server.record(new ReceivedMail(from, r, messageId, body.toString()));
        boolean drop = server.faults().dropAfterData(to);
        reset();
        if (drop) return false;
        server.pauseAfterMessage();
        reply("250 2.0.0 queued");
        return true;
    }

    private void auth(String arg) throws IOException {
        String[] parts = arg.split(" ");
        String mechanism = parts[0].toUpperCase(Locale.ROOT);
        if ("PLAIN".equals(mechanism)) {
            if (parts.length < 2) challenge("");
        } else if ("LOGIN".equals(mechanism)) {
            if (parts.length < 2) challenge("VXNlcm5hbWU6");
            challenge("UGFzc3dvcmQ6");
        } else {
            reply("504 5.5.4 mechanism not supported");
            return;
        }
        server.recordLogin();
        reply("235 2.7.0 authenticated");
    }

    private void challenge(String prompt) throws IOException {
        reply("334 " + prompt);
        if (in.readLine() == null) throw new IOException("connection closed during AUTH");
    }

    private void reset() {
        from = null;
        to.clear();
    }

    private void reply(String text) throws IOException {
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
