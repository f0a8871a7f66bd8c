package dev.mailroom.web.csv;

import dev.mailroom.core.error.InvalidInput;
import dev.mailroom.core.mail.EmailAddress;
import dev.mailroom.core.mail.HeaderText;
import dev.mailroom.db.postgres.NewRecipient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Recipients streamed from a CSV upload: a header row {@code email,name,...}, every further column
 * becoming a var. Rows are validated as they stream past.
 *
 * <p>Bad-row policy: one bad row rejects the whole upload. Bad rows are skipped while reading and
 * reported (at most {@value #MAX_ERRORS}, as {@code recipients[line N].email}); when the input ends —
 * or the error list is full — {@link #hasNext()} throws {@link InvalidInput}, which rolls back the
 * loading transaction, so nothing is written. Blank lines are ignored.
 */
public final class CsvRecipients implements Iterator<NewRecipient> {
    public static final int MAX_ERRORS = 100;

    private final CsvReader reader;
    private final List<InvalidInput.FieldError> errors = new ArrayList<>();
    private int emailCol = -1;
    private int nameCol = -1;
    private List<String> header;
    private final List<String> varKeys = new ArrayList<>();
    private NewRecipient next;
    private long rows;

    public CsvRecipients(CsvReader reader) {
        this.reader = reader;
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
            if (key.equals("email")) emailCol = i;
            else if (key.equals("name")) nameCol = i;
            header.add(col);
        }
        if (emailCol < 0) throw InvalidInput.of("csv.header", "the header row needs an email column");
        for (int i = 0; i < header.size(); i++) {
            if (i != emailCol && i != nameCol) varKeys.add(JsonText.quote(new StringBuilder(), header.get(i)).toString());
        }
    }

    private NewRecipient row(List<String> rec, long line) {
        rows++;
        String at = "recipients[line " + line + "]";
        if (rec.size() != header.size()) {
            errors.add(new InvalidInput.FieldError(at, "expected " + header.size() + " columns, found " + rec.size()));
            return null;
        }
        EmailAddress email = EmailAddress.parseOrNull(rec.get(emailCol));
        if (email == null) errors.add(new InvalidInput.FieldError(at + ".email", "is not a valid email address"));
        String name = nameCol < 0 || rec.get(nameCol).isEmpty() ? null : rec.get(nameCol);
        if (!HeaderText.isSafe(name)) errors.add(new InvalidInput.FieldError(at + ".name", "must not contain CR, LF or NUL"));
        if (email == null || !HeaderText.isSafe(name)) return null;
        return new NewRecipient(line, email.value(), name, vars(rec));
    }
}
