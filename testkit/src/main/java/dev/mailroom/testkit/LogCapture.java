package dev.mailroom.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;

/**
 * Everything a process of this JVM would put in its logs while the capture is open: every logback event
 * rendered as text (our pattern, exceptions included) and by the JSON encoder MAILROOM_LOG_FORMAT=json
 * selects, plus whatever is printed to System.out and System.err (Jakarta Mail's debug output goes there,
 * so does java.util.logging's console handler). Our own loggers run at DEBUG: whatever an operator turns
 * on must be clean too.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger ours = (Logger) LoggerFactory.getLogger("dev.mailroom");
    private final ByteArrayOutputStream text = new ByteArrayOutputStream();
    private final ByteArrayOutputStream json = new ByteArrayOutputStream();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final OutputStreamAppender<ILoggingEvent> textAppender;
    private final OutputStreamAppender<ILoggingEvent> jsonAppender;
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    public LogCapture() {
        LoggerContext context = root.getLoggerContext();
        PatternLayoutEncoder pattern = new PatternLayoutEncoder();
        pattern.setContext(context);
        pattern.setPattern("%level [%thread] %logger %X %msg%n%ex");
        pattern.start();
        JsonEncoder jsonEncoder = new JsonEncoder();
        jsonEncoder.setContext(context);
        jsonEncoder.start();
        textAppender = appender(context, pattern, text);
        jsonAppender = appender(context, jsonEncoder, json);
        root.addAppender(textAppender);
        root.addAppender(jsonAppender);
        ours.setLevel(Level.DEBUG);
        System.setOut(new PrintStream(new Tee(out, printed), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(err, printed), true, StandardCharsets.UTF_8));
    }

    private static OutputStreamAppender<ILoggingEvent> appender(LoggerContext context, Encoder<ILoggingEvent> encoder,
                                                                OutputStream to) {
        OutputStreamAppender<ILoggingEvent> a = new OutputStreamAppender<>();
        a.setContext(context);
        a.setEncoder(encoder);
        a.setOutputStream(to);
        a.start();
        return a;
    }

    public String text() {
        return text.toString(StandardCharsets.UTF_8);
    }

    public String json() {
        return json.toString(StandardCharsets.UTF_8);
    }

    public String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    /** The three outputs together, for "appears nowhere" checks. */
    public String all() {
        return text() + "\n" + json() + "\n" + printed();
    }

    @Override
    public void close() {
        System.setOut(out);
        System.setErr(err);
        root.detachAppender(textAppender);
        root.detachAppender(jsonAppender);
        textAppender.stop();
        jsonAppender.stop();
        ours.setLevel(null);
    }

    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            a.flush();
        }
    }
}
