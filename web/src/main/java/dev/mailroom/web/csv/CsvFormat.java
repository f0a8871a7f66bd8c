package dev.mailroom.web.csv;

import dev.mailroom.core.error.InvalidInput;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * How a spreadsheet saved its CSV: the delimiter (comma; semicolon, as Excel writes where the decimal
 * separator is a comma; tab) and the encoding (UTF-8 with or without BOM; else Windows-1251, what Excel
 * writes for Cyrillic text on Windows). Read from the upload's first 64 KB unless the request names them.
 */
public record CsvFormat(char delimiter, Charset charset) {
    static final int SAMPLE_BYTES = 64 * 1024;
    public static final Charset WINDOWS_1251 = Charset.forName("windows-1251");
    private static final char[] DELIMITERS = {',', ';', '\t'};

    /** The delimiter as the API names it: {@code ,} {@code ;} or {@code tab}. */
    public String delimiterName() {
        return delimiter == '\t' ? "tab" : String.valueOf(delimiter);
    }

    public String charsetName() {
        return charset.name().toLowerCase(Locale.ROOT);
    }

    /** A decoder that refuses bytes the charset cannot mean (UTF-8); Windows-1251 decodes every byte but one. */
    CharsetDecoder decoder() {
        CodingErrorAction onError = charset.equals(StandardCharsets.UTF_8) ? CodingErrorAction.REPORT : CodingErrorAction.REPLACE;
        return charset.newDecoder().onMalformedInput(onError).onUnmappableCharacter(onError);
    }

    /**
     * @param askedDelimiter {@code ,}, {@code ;}, {@code tab} or null (detect)
     * @param askedCharset   a charset name or null (detect)
     */
    static CsvFormat of(BufferedInputStream in, String askedDelimiter, String askedCharset) throws IOException {
        Character delimiter = askedDelimiter == null ? null : delimiter(askedDelimiter);
        Charset charset = askedCharset == null ? null : charset(askedCharset);
        if (delimiter != null && charset != null) return new CsvFormat(delimiter, charset);
        in.mark(SAMPLE_BYTES);
        byte[] sample = in.readNBytes(SAMPLE_BYTES);
        in.reset();
        if (charset == null) charset = detectCharset(sample, sample.length == SAMPLE_BYTES);
        if (delimiter == null) delimiter = detectDelimiter(new String(sample, charset));
        return new CsvFormat(delimiter, charset);
    }

    private static Charset detectCharset(byte[] sample, boolean truncated) {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.wrap(sample);
        CharBuffer chars = CharBuffer.allocate(sample.length);
        var result = utf8.decode(bytes, chars, !truncated); // a sample cut mid-character is still UTF-8
        if (result.isError()) return WINDOWS_1251;
        try {
            if (!truncated) utf8.flush(chars);
        } catch (RuntimeException e) {
            return WINDOWS_1251;
        }
        return StandardCharsets.UTF_8;
    }

    /** The candidate seen most often outside quotes on the header line; a comma when none is. */
    private static char detectDelimiter(String text) {
        int[] counts = new int[DELIMITERS.length];
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') quoted = !quoted;
            else if (!quoted && (c == '\n' || c == '\r')) break;
            else if (!quoted) for (int k = 0; k < DELIMITERS.length; k++) if (c == DELIMITERS[k]) counts[k]++;
        }
        int best = 0;
        for (int k = 1; k < DELIMITERS.length; k++) if (counts[k] > counts[best]) best = k;
        return DELIMITERS[best];
    }

    private static char delimiter(String name) {
        return switch (name) {
            case ",", "comma" -> ',';
            case ";", "semicolon" -> ';';
            case "tab", "\t" -> '\t';
            default -> throw InvalidInput.of("delimiter", "must be , ; or tab");
        };
    }

    private static Charset charset(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("utf-8") || n.equals("utf8")) return StandardCharsets.UTF_8;
        if (n.equals("windows-1251") || n.equals("cp1251")) return WINDOWS_1251;
        throw InvalidInput.of("charset", "must be utf-8 or windows-1251");
    }

    /**
     * An upload that stops decoding in its charset partway: 400, naming the way out. (No line: the decoder
     * reads ahead of the rows, so it cannot say which one held the bytes.)
     */
    static InvalidInput undecodable(CsvFormat f) {
        return InvalidInput.of("csv", "is not valid " + f.charsetName() + " text; save it as UTF-8, or name its encoding with "
                + "?charset=windows-1251");
    }
}
