package dev.mailroom.web.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** An RFC 9457 problem document; {@code errors} for validation, {@code currentStatus} for a refused move. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldMessage> errors,
                      String currentStatus) {
    public record FieldMessage(String field, String message) {}

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem("/problems/" + slug, title, status, detail, null, null);
    }
}
