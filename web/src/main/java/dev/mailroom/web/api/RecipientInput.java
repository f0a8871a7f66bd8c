package dev.mailroom.web.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailroom.db.postgres.NewRecipient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One recipient in a JSON body; {@code vars} values must be scalars (stored as strings). */
public record RecipientInput(String email, String name, Map<String, Object> vars) {

    /** Holds at most this many errors: a list with more is rejected all the same. */
    static final int MAX_ERRORS = 100;

    /** Validates the whole list before anything is written; any bad entry rejects the request. */
    static List<NewRecipient> validate(List<RecipientInput> list, ObjectMapper mapper) {
        Validation v = new Validation();
        List<NewRecipient> out = new ArrayList<>(list == null ? 0 : list.size());
        if (list == null) return out;
        for (int i = 0; i < list.size() && v.size() < MAX_ERRORS; i++) {
            RecipientInput r = list.get(i);
            String at = "recipients[" + i + "]";
            if (r == null) {
                v.error(at, "must be an object");
                continue;
            }
            String email = v.email(at + ".email", r.email());
            v.header(at + ".name", r.name());
            ObjectNode vars = null;
            if (r.vars() != null) {
                vars = mapper.createObjectNode();
                for (var e : r.vars().entrySet()) {
                    Object val = e.getValue();
                    if (val instanceof Map || val instanceof List) {
                        v.error(at + ".vars." + e.getKey(), "must be a string, number or boolean");
                    } else {
                        vars.put(e.getKey(), val == null ? null : val.toString());
                    }
                }
            }
            out.add(new NewRecipient(i + 1, email, r.name(), vars == null ? null : vars.toString()));
        }
        v.throwIfAny();
        return out;
    }
}
