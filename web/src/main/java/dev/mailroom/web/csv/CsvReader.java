package dev.mailroom.web.csv;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming RFC 4180 reader: comma-separated, fields optionally in double quotes ("" inside quotes
 * is a quote; commas and line breaks inside quotes are data), CRLF or LF line ends. Reads one record
 * at a time and never holds more than that record, which its limits bound: a record with too many
 * fields, a field or a record too long is refused as soon as it crosses the line, not once it is read.
 */
public final class CsvReader {
    /** A record that breaks the format; {@code line} is the physical line it starts on. */
    public static final class Malformed extends Exception {
        public final long line;

        Malformed(long line, String message) {
            super(message);
            this.line = line;
        }
    }

    private final Reader in;
    private final int maxFields;
    private final int maxFieldChars;
    private final int maxRecordChars;
    private long line = 1;
    private long recordLine;
    private final char delimiter;
    private int peeked = -2;
    private final char[] buf = new char[16 * 1024];
    private int pos;
    private int len;

    /** @param delimiter between fields: a comma, a semicolon or a tab */
    public CsvReader(Reader in, char delimiter, int maxFields, int maxFieldChars, int maxRecordChars) {
        this.in = in;
        this.delimiter = delimiter;
        this.maxFields = maxFields;
        this.maxFieldChars = maxFieldChars;
        this.maxRecordChars = maxRecordChars;
    }

    /** The physical line the last record returned started on. */
    public long recordLine() {
        return recordLine;
    }

    /** The next record, or null at the end of the input. */
    public List<String> next() throws IOException, Malformed {
        int c = read();
        if (c == -1) return null;
        recordLine = line;
        List<String> fields = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        int recordChars = 0;
        boolean quoted = false;
        boolean wasQuoted = false;
        while (true) {
            if (quoted) {
                if (c == -1) throw new Malformed(recordLine, "a quoted field is not closed");
                if (c == '"') {
                    int n = read();
                    if (n == '"') {
                        f.append('"');
                    } else {
                        quoted = false;
                        c = n;
                        continue;
                    }
                } else {
                    if (c == '\n') line++;
                    f.append((char) c);
                }
            } else if (c == '"' && f.isEmpty() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == delimiter) {
                if (fields.size() + 1 >= maxFields) {
                    throw new Malformed(recordLine, "a row has more than " + maxFields + " fields");
                }
                fields.add(f.toString());
                f.setLength(0);
                wasQuoted = false;
            } else if (c == '\r' || c == '\n' || c == -1) {
                if (c == '\r') {
                    int n = read();
                    if (n != '\n') unread(n);
                }
                if (c != -1) line++;
                fields.add(f.toString());
                return fields;
            } else if (wasQuoted) {
                throw new Malformed(recordLine, "text after a closing quote");
            } else {
                f.append((char) c);
            }
            if (f.length() > maxFieldChars) {
                throw new Malformed(recordLine, "a field is longer than " + maxFieldChars + " characters");
            }
            if (++recordChars > maxRecordChars) {
                throw new Malformed(recordLine, "a row is longer than " + maxRecordChars + " characters");
            }
            c = read();
        }
    }

    private int read() throws IOException {
        if (peeked != -2) {
            int p = peeked;
            peeked = -2;
            return p;
        }
        if (pos == len) {
            len = in.read(buf, 0, buf.length);
            pos = 0;
            if (len <= 0) {
                len = 0;
                return -1;
            }
        }
        return buf[pos++];
    }

    private void unread(int c) {
        peeked = c;
    }
}
