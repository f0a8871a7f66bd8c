package dev.mailroom.core.recipient;

import java.util.Map;

/** A pending recipient as the worker sees it. */
public record Recipient(long id, String email, String name, Map<String, String> vars, int attempts) {

    public String domain() {
        return email.substring(email.indexOf('@') + 1);
    }
}
