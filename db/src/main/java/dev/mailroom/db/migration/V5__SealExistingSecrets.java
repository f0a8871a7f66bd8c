package dev.mailroom.db.migration;

import dev.mailroom.core.secret.KeyRing;
import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.db.secrets.SealedColumns;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * I19 for rows written before SMTP passwords and webhook secrets were sealed: seals every value of
 * {@code sender.smtp_password} and {@code webhook_endpoint.secret} still in clear, under the ring's current key.
 * Java, not SQL, because it needs the ring; it changes no schema, so jOOQ's code generation (which reads only
 * the SQL migrations) is unaffected. Not in {@code db/migration}: Flyway must not find it by scanning, as it
 * cannot be built without the ring — {@link dev.mailroom.db.Migrations} hands it over.
 */
public final class V5__SealExistingSecrets extends BaseJavaMigration {
    private static final Logger log = LoggerFactory.getLogger(V5__SealExistingSecrets.class);

    private final KeyRing ring;

    /** {@code ring} null only to list the migrations (health checks); running it then fails. */
    public V5__SealExistingSecrets(KeyRing ring) {
        this.ring = ring;
    }

    @Override
    public String getDescription() {
        return "seal existing secrets";
    }

    @Override
    public void migrate(Context context) throws Exception {
        if (ring == null) throw new IllegalStateException("sealing existing secrets needs " + KeyRing.VARIABLE);
        var columns = new SealedColumns(new SecretSealer(ring), ring.currentKid());
        int passwords = columns.sealPlaintext(context.getConnection(), SealedColumns.SMTP_PASSWORD);
        int secrets = columns.sealPlaintext(context.getConnection(), SealedColumns.WEBHOOK_SECRET);
        log.info("sealed {} SMTP password(s) and {} webhook secret(s) stored in clear", passwords, secrets);
    }
}
