package dev.mailroom.web.api;

import dev.mailroom.db.postgres.JooqApiKeyStore;
import dev.mailroom.web.auth.ApiKeys;
import dev.mailroom.web.auth.Role;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** POST /api/keys (admin): the key is returned once and stored only as its SHA-256 hash. */
public final class KeyController {
    private static final Logger log = LoggerFactory.getLogger(KeyController.class);

    private final JooqApiKeyStore keys;
    private final Requests requests;

    public KeyController(JooqApiKeyStore keys, Requests requests) {
        this.keys = keys;
        this.requests = requests;
    }

    public record KeyRequest(String name, String role) {}

    public record KeyCreated(long id, String name, String role, String key) {}

    public void create(Context ctx) throws Exception {
        KeyRequest r = requests.body(ctx, KeyRequest.class);
        Validation v = new Validation();
        String name = v.required("name", r.name(), 200);
        Role role = null;
        if (r.role() == null) v.error("role", "is required");
        else {
            try {
                role = Role.fromWire(r.role());
            } catch (IllegalArgumentException e) {
                v.error("role", "must be admin, operator or viewer");
            }
        }
        v.throwIfAny();
        String key = ApiKeys.generate();
        long id = keys.create(name, role.wire(), ApiKeys.hash(key));
        log.info("api key {} created with role {}", id, role.wire());
        ctx.status(201).json(new KeyCreated(id, name, role.wire(), key));
    }
}
