package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.API_KEY;

import java.util.Optional;
import org.jooq.DSLContext;

/** API keys, stored only as hashes (the caller hashes; this class never sees a key). */
public final class JooqApiKeyStore {
    private final DSLContext dsl;

    public JooqApiKeyStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    public long create(String name, String role, String keyHash) {
        return dsl.insertInto(API_KEY, API_KEY.NAME, API_KEY.ROLE, API_KEY.KEY_HASH).values(name, role, keyHash)
                .returning(API_KEY.ID).fetchOne(API_KEY.ID);
    }

    /** Inserts the key unless a key with this hash exists already (idempotent start-up). */
    public void ensure(String name, String role, String keyHash) {
        dsl.insertInto(API_KEY, API_KEY.NAME, API_KEY.ROLE, API_KEY.KEY_HASH).values(name, role, keyHash)
                .onConflict(API_KEY.KEY_HASH).doNothing().execute();
    }

    public Optional<ApiKeyRow> findByHash(String keyHash) {
        return dsl.select(API_KEY.ID, API_KEY.NAME, API_KEY.ROLE).from(API_KEY).where(API_KEY.KEY_HASH.eq(keyHash))
                .fetchOptional(r -> new ApiKeyRow(r.value1(), r.value2(), r.value3()));
    }
}
