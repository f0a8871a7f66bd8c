package dev.mailroom.web.csv;

import dev.mailroom.core.error.InvalidInput;
import java.util.function.Function;

/**
 * What a CSV upload's query string may say: its delimiter and encoding (else detected, {@link CsvFormat}),
 * which header names hold the address and the name (else {@code email} and {@code name}), and whether bad
 * rows are skipped and reported ({@code invalid=skip}) instead of refusing the whole upload.
 */
public record CsvOptions(String delimiter, String charset, String emailColumn, String nameColumn, boolean skipInvalid) {
    public static final CsvOptions DEFAULTS = new CsvOptions(null, null, "email", "name", false);

    /** @param param a query parameter's value, null when absent */
    public static CsvOptions from(Function<String, String> param) {
        String invalid = blankToNull(param.apply("invalid"));
        if (invalid != null && !invalid.equals("skip") && !invalid.equals("reject")) {
            throw InvalidInput.of("invalid", "must be skip or reject");
        }
        String email = blankToNull(param.apply("email_column"));
        String name = blankToNull(param.apply("name_column"));
        return new CsvOptions(blankToNull(param.apply("delimiter")), blankToNull(param.apply("charset")),
                email == null ? "email" : email.trim(), name == null ? "name" : name.trim(), "skip".equals(invalid));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
