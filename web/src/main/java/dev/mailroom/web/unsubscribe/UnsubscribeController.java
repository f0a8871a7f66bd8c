package dev.mailroom.web.unsubscribe;

import dev.mailroom.core.secret.RecipientTokens;
import dev.mailroom.core.secret.RecipientTokens.Addressee;
import dev.mailroom.db.postgres.JooqUnsubscribeStore;
import dev.mailroom.db.postgres.JooqUnsubscribeStore.Mailing;
import dev.mailroom.db.postgres.JooqUnsubscribeStore.Outcome;
import io.javalin.http.Context;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /u/{token}} — RFC 8058 one-click unsubscribe (I18), reached without an API key: the signed token
 * is the only credential. GET shows a page and writes nothing (mail scanners follow links); POST, from a
 * mail client's one-click or the page's button, suppresses the address at once. A token that does not
 * verify, or names what no longer exists, is a 404 that writes nothing.
 */
public final class UnsubscribeController {
    private static final Logger log = LoggerFactory.getLogger(UnsubscribeController.class);
    // No script, no inline style, forms only back to us; the token in the URL is never sent on as a referrer.
    private static final String CSP = "default-src 'none'; style-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    private final RecipientTokens tokens;
    private final JooqUnsubscribeStore store;

    public UnsubscribeController(RecipientTokens tokens, JooqUnsubscribeStore store) {
        this.tokens = tokens;
        this.store = store;
    }

    public void page(Context ctx) {
        headers(ctx);
        Optional<Mailing> mailing = addressee(ctx).flatMap(store::find);
        if (mailing.isEmpty()) {
            ctx.status(404).html(UnsubscribePages.notFound());
            return;
        }
        ctx.html(UnsubscribePages.confirm(ctx.pathParam("token"), mailing.get().senderName()));
    }

    public void unsubscribe(Context ctx) {
        headers(ctx);
        Optional<Addressee> who = addressee(ctx);
        Optional<Outcome> outcome = who.flatMap(store::unsubscribe);
        Optional<Mailing> mailing = who.flatMap(store::find);
        if (outcome.isEmpty() || mailing.isEmpty()) {
            ctx.status(404).html(UnsubscribePages.notFound());
            return;
        }
        Addressee a = who.get();
        if (outcome.get() == Outcome.UNSUBSCRIBED) {
            log.info("recipient {} of campaign {} unsubscribed", a.id(), a.campaignId());
        }
        ctx.html(UnsubscribePages.done(mailing.get().senderName()));
    }

    private Optional<Addressee> addressee(Context ctx) {
        return tokens.verify(RecipientTokens.Purpose.UNSUBSCRIBE, ctx.pathParam("token"));
    }

    private static void headers(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Robots-Tag", "noindex");
        ctx.header("X-Content-Type-Options", "nosniff");
    }
}
