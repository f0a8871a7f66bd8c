package dev.mailroom.web.csv;

import dev.mailroom.core.error.InvalidInput;
import dev.mailroom.core.mail.EmailAddress;
import dev.mailroom.core.mail.HeaderText;
import dev.mailroom.db.postgres.NewRecipient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Recipients streamed from a CSV upload: a header row naming the address column ({@code email}, or the
 * {@code email_column} asked for) and optionally the name column, every further column becoming a var.
 * Rows are validated as they stream past.
 *
 * <p>Bad-row policy, by default: one bad row rejects the whole upload. Bad rows are skipped while reading
 * and reported (at most {@value #MAX_ERRORS}, as {@code recipients[line N].email}); when the input ends —
 * or the error list is full — {@link #hasNext()} throws {@link InvalidInput}, which rolls back the
 * loading transaction, so nothing is written. With {@code invalid=skip} a bad row is left out and
 * listed in {@link #skipped()} (the first {@value #MAX_SKIPPED_LISTED}; {@link #skippedCount()} counts all)
 * and the rest loads. A malformed file (an unclosed quote, a row past the limits) or an undecodable one is
 * refused whole either way: what follows cannot be trusted. Blank lines are ignored.
 */
public final class CsvRecipients implements Iterator<NewRecipient> {
    public static final int MAX_ERRORS = 100;
    public static final int MAX_SKIPPED_LISTED = 1000;

    /** A row left out of an {@code invalid=skip} upload, and why. */
    public record Skipped(long line, String message) {}

    private final CsvReader reader;
    private final CsvFormat format;
    private final CsvOptions options;
    private final List<Skipped> skipped = new ArrayList<>();
    private long skippedCount;
    private final List<InvalidInput.FieldError> errors = new ArrayList<>();
    private int emailCol = -1;
    private int nameCol = -1;
    private List<String> header;
    private final List<String> varKeys = new ArrayList<>();
    private NewRecipient next;
    private long rows;

    public CsvRecipients(CsvReader reader, CsvFormat format, CsvOptions options) {
        this.reader = reader;
        this.format = format;
        this.options = options;
    }

    public List<Skipped> skipped() {
        return skipped;
    }

    public long skippedCount() {
        return skippedCount;
    }

    public long rowsRead() {
        return rows;
    }

    @Override
    public boolean hasNext() {
        try {
            if (header == null) readHeader();
            while (next == null && errors.size() < MAX_ERRORS) {
                List<String> rec = reader.next();
                if (rec == null) break;
                if (rec.size() == 1 && rec.get(0).isBlank()) continue;
                next = row(rec, reader.recordLine());
            }
        } catch (CsvReader.Malformed e) {
            errors.add(new InvalidInput.FieldError("recipients[line " + e.line + "]", "malformed CSV: " + e.getMessage()));
        } catch (CharacterCodingException e) {
            throw CsvFormat.undecodable(format);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (next == null && !errors.isEmpty()) throw new InvalidInput(errors);
        return next != null;
    }

    @Override
    public NewRecipient next() {
        if (!hasNext()) throw new NoSuchElementException();
        NewRecipient r = next;
        next = null;
        return r;
    }

    /** The extra columns as a JSON object of strings, null when there are none. */
    private String vars(List<String> rec) {
        if (varKeys.isEmpty()) return null;
        StringBuilder b = new StringBuilder(64).append('{');
        int n = 0;
        for (int i = 0; i < rec.size(); i++) {
            if (i == emailCol || i == nameCol) continue;
            if (n++ > 0) b.append(',');
            b.append(varKeys.get(n - 1)).append(':');
            JsonText.quote(b, rec.get(i));
        }
        return b.append('}').toString();
    }

    private void readHeader() throws IOException {
        List<String> h;
        try {
            h = reader.next();
        } catch (CsvReader.Malformed e) {
            throw InvalidInput.of("csv.header", "malformed CSV: " + e.getMessage());
        } catch (CharacterCodingException e) {
            throw CsvFormat.undecodable(format);
        }
        if (h == null) throw InvalidInput.of("csv", "the upload is empty: a header row email,name,... is required");
        if (!h.isEmpty() && h.get(0).startsWith("\uFEFF")) h.set(0, h.get(0).substring(1));
        header = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < h.size(); i++) {
            String col = h.get(i).trim();
            String key = col.toLowerCase(Locale.ROOT);
            if (col.isEmpty()) throw InvalidInput.of("csv.header", "column " + (i + 1) + " has no name");
            if (!seen.add(col)) throw InvalidInput.of("csv.header", "column " + col + " appears twice");
            if (key.equals(options.emailColumn().toLowerCase(Locale.ROOT))) emailCol = i;
            else if (key.equals(options.nameColumn().toLowerCase(Locale.ROOT))) nameCol = i;
            header.add(col);
        }
        if (emailCol < 0) {
            boolean asked = !options.emailColumn().equalsIgnoreCase("email");
            throw InvalidInput.of(asked ? "email_column" : "csv.header", (asked ? "the header row has no column " + options.emailColumn()
                    : "the header row needs an email column (or name it with ?email_column=)")
                    + "; read as " + format.delimiterName() + "-separated " + format.charsetName() + ", the header was: "
                    + String.join(" | ", header));
        }
        if (!options.nameColumn().equalsIgnoreCase("name") && nameCol < 0) {
            throw InvalidInput.of("name_column", "the header row has no column " + options.nameColumn());
        }
        for (int i = 0; i < header.size(); i++) {
            if (i != emailCol && i != nameCol) varKeys.add(JsonText.quote(new StringBuilder(), header.get(i)).toString());
        }
    }

    private NewRecipient row(List<String> rec, long line) {
        rows++;
        String at = "recipients[line " + line + "]";
        if (rec.size() != header.size()) {
            return bad(line, at, "expected " + header.size() + " columns, found " + rec.size());
        }
        EmailAddress email = EmailAddress.parseOrNull(rec.get(emailCol));
        if (email == null) return bad(line, at + ".email", "is not a valid email address");
        String name = nameCol < 0 || rec.get(nameCol).isEmpty() ? null : rec.get(nameCol);
        if (!HeaderText.isSafe(name)) return bad(line, at + ".name", "must not contain CR, LF or NUL");
        return new NewRecipient(line, email.value(), name, vars(rec));
    }

    /** A bad row: listed as skipped when skipping, else an error that will refuse the upload. */
    private NewRecipient bad(long line, String field, String message) {
        if (!options.skipInvalid()) {
            errors.add(new InvalidInput.FieldError(field, message));
            return null;
        }
        skippedCount++;
        if (skipped.size() < MAX_SKIPPED_LISTED) {
            String column = field.contains("].") ? field.substring(field.indexOf("].") + 2) + " " : "";
            skipped.add(new Skipped(line, column + message));
        }
        return null;
    }
}
