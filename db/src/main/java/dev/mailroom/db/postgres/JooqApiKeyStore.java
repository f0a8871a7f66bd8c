package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.API_KEY;

import dev.mailroom.db.generated.tables.records.ApiKeyRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * API keys, stored only as hashes (the caller hashes; this class never sees a key). Keys are revoked, never
 * deleted, so the list and the audit trail keep naming them.
 */
public final class JooqApiKeyStore {
    /** {@code last_used_at} moves at most this often, whichever web process sees the key. */
    public static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);
    private static final String ADMIN = "admin";
    /** Serialises the bootstrap-key rotation of web processes starting together. */
    private static final long BOOTSTRAP_LOCK = 0x6d61696c726f6f6dL;

    public enum Revocation { REVOKED, ALREADY_REVOKED, NOT_FOUND, LAST_ADMIN }

    /**
     * @param createdId the key inserted for the value given, null when it was stored already
     * @param revokedIds the previous bootstrap keys this start revoked
     * @param configuredRevoked the key given was revoked before (then nothing changed)
     */
    public record Bootstrap(Long createdId, List<Long> revokedIds, boolean configuredRevoked) {}

    private final DSLContext dsl;

    public JooqApiKeyStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    public long create(String name, String role, String keyHash) {
        return create(name, role, keyHash, null).id();
    }

    public ApiKeyRow create(String name, String role, String keyHash, Instant expiresAt) {
        return dsl.insertInto(API_KEY, API_KEY.NAME, API_KEY.ROLE, API_KEY.KEY_HASH, API_KEY.EXPIRES_AT)
                .values(name, role, keyHash, Times.odt(expiresAt)).returning().fetchOne(JooqApiKeyStore::row);
    }

    /**
     * Makes the MAILROOM_ADMIN_KEY key the one live bootstrap key: inserts it unless its hash is stored, and
     * revokes every other live bootstrap key. A key revoked earlier stays revoked and then nothing changes: a
     * configuration rolled back to an old value must not lock out the admin key that replaced it.
     */
    public Bootstrap ensureBootstrap(String name, String keyHash, Instant now) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            tx.execute("select pg_advisory_xact_lock(?)", BOOTSTRAP_LOCK);
            Optional<ApiKeyRow> stored = tx.selectFrom(API_KEY).where(API_KEY.KEY_HASH.eq(keyHash)).fetchOptional(JooqApiKeyStore::row);
            if (stored.isPresent() && stored.get().revokedAt() != null) return new Bootstrap(null, List.of(), true);
            List<Long> revoked = tx.update(API_KEY).set(API_KEY.REVOKED_AT, Times.odt(now))
                    .where(API_KEY.BOOTSTRAP.isTrue(), API_KEY.REVOKED_AT.isNull(), API_KEY.KEY_HASH.ne(keyHash))
                    .returning(API_KEY.ID).fetch(API_KEY.ID);
            if (stored.isPresent()) {
                tx.update(API_KEY).set(API_KEY.BOOTSTRAP, true).where(API_KEY.ID.eq(stored.get().id())).execute();
                return new Bootstrap(null, revoked, false);
            }
            long created = tx.insertInto(API_KEY, API_KEY.NAME, API_KEY.ROLE, API_KEY.KEY_HASH, API_KEY.BOOTSTRAP)
                    .values(name, ADMIN, keyHash, true).returning(API_KEY.ID).fetchOne(API_KEY.ID);
            return new Bootstrap(created, revoked, false);
        });
    }

    public Optional<ApiKeyRow> findByHash(String keyHash) {
        return dsl.selectFrom(API_KEY).where(API_KEY.KEY_HASH.eq(keyHash)).fetchOptional(JooqApiKeyStore::row);
    }

    /** In id order, revoked and expired keys included; {@code afterId} is the previous page's last id. */
    public Page<ApiKeyRow, Long> list(Long afterId, int limit) {
        var rows = dsl.selectFrom(API_KEY).where(afterId == null ? DSL.noCondition() : API_KEY.ID.gt(afterId))
                .orderBy(API_KEY.ID).limit(limit + 1).fetch(JooqApiKeyStore::row);
        return Page.of(rows, limit, ApiKeyRow::id);
    }

    /**
     * Revokes a key unless it is the last usable admin key (then nobody could manage keys until the web
     * restarts with a new MAILROOM_ADMIN_KEY). The usable admin keys are locked first, so two admins revoking
     * each other's key at once cannot both succeed and leave none.
     */
    public Revocation revoke(long id, Instant now) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            List<Long> admins = tx.select(API_KEY.ID).from(API_KEY).where(API_KEY.ROLE.eq(ADMIN), usable(now))
                    .orderBy(API_KEY.ID).forUpdate().fetch(API_KEY.ID);
            ApiKeyRow key = tx.selectFrom(API_KEY).where(API_KEY.ID.eq(id)).forUpdate().fetchOptional(JooqApiKeyStore::row)
                    .orElse(null);
            if (key == null) return Revocation.NOT_FOUND;
            if (key.revokedAt() != null) return Revocation.ALREADY_REVOKED;
            if (admins.size() == 1 && admins.getFirst() == id) return Revocation.LAST_ADMIN;
            tx.update(API_KEY).set(API_KEY.REVOKED_AT, Times.odt(now)).where(API_KEY.ID.eq(id)).execute();
            return Revocation.REVOKED;
        });
    }

    /** Stamps a use unless one was stamped less than {@link #LAST_USED_GRANULARITY} before {@code at}. */
    public void markUsed(long id, Instant at) {
        dsl.update(API_KEY).set(API_KEY.LAST_USED_AT, Times.odt(at))
                .where(API_KEY.ID.eq(id), API_KEY.LAST_USED_AT.isNull()
                        .or(API_KEY.LAST_USED_AT.le(Times.odt(at.minus(LAST_USED_GRANULARITY)))))
                .execute();
    }

    private static Condition usable(Instant now) {
        return API_KEY.REVOKED_AT.isNull().and(API_KEY.EXPIRES_AT.isNull().or(API_KEY.EXPIRES_AT.gt(Times.odt(now))));
    }

    private static ApiKeyRow row(ApiKeyRecord r) {
        return new ApiKeyRow(r.getId(), r.getName(), r.getRole(), Times.instant(r.getCreatedAt()),
                Times.instant(r.getExpiresAt()), Times.instant(r.getLastUsedAt()), Times.instant(r.getRevokedAt()),
                r.getBootstrap());
    }
}
