package dev.mailroom.worker;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;

/**
 * Every claim of a campaign_queue row, recorded by a trigger in the test database: when a row became
 * processing (or was taken over: a new fence) and when that claim ended, stamped with the database's own
 * clock in the statement that made the change. Nothing is sampled, so an overlap of any length shows.
 * A claim ends in the transaction that commits before its worker lets the sender's lock go, so claims
 * handed over correctly never overlap, not even by a microsecond.
 */
final class ClaimLog implements AutoCloseable {
    record Claim(long campaignId, long senderId, long fence, String worker, OffsetDateTime from, OffsetDateTime to) {
        boolean overlaps(Claim o) {
            return from.isBefore(o.to) && o.from.isBefore(to);
        }
    }

    private static final OffsetDateTime OPEN = OffsetDateTime.MAX;
    private final DSLContext dsl;

    private ClaimLog(DSLContext dsl) {
        this.dsl = dsl;
    }

    static ClaimLog install(DSLContext dsl) {
        dsl.execute("""
                create table if not exists test_claim_log (seq bigserial primary key, campaign_id bigint not null,
                    sender_id bigint not null, fence bigint not null, worker text, event text not null,
                    at timestamptz not null default clock_timestamp())""");
        dsl.execute("""
                create or replace function test_log_claims() returns trigger language plpgsql as $$
                begin
                  if old.status = 'processing' and (new.status <> 'processing' or new.fence <> old.fence) then
                    insert into test_claim_log (campaign_id, sender_id, fence, worker, event)
                    values (old.campaign_id, old.sender_id, old.fence, old.claimed_by, 'end');
                  end if;
                  if new.status = 'processing' and (old.status <> 'processing' or new.fence <> old.fence) then
                    insert into test_claim_log (campaign_id, sender_id, fence, worker, event)
                    values (new.campaign_id, new.sender_id, new.fence, new.claimed_by, 'start');
                  end if;
                  return new;
                end $$""");
        dsl.execute("drop trigger if exists test_log_claims on campaign_queue");
        dsl.execute("create trigger test_log_claims after update on campaign_queue for each row execute function test_log_claims()");
        return new ClaimLog(dsl);
    }

    /** Every claim, oldest first; one still open runs to the end of time. */
    List<Claim> claims() {
        Map<String, Claim> open = new HashMap<>();
        List<Claim> all = new ArrayList<>();
        for (var r : dsl.fetch("select campaign_id, sender_id, fence, worker, event, at from test_claim_log order by at, seq")) {
            long campaign = r.get("campaign_id", Long.class);
            long fence = r.get("fence", Long.class);
            String key = campaign + "/" + fence;
            OffsetDateTime at = r.get("at", OffsetDateTime.class);
            if ("start".equals(r.get("event", String.class))) {
                open.put(key, new Claim(campaign, r.get("sender_id", Long.class), fence, r.get("worker", String.class), at, OPEN));
            } else {
                Claim c = open.remove(key);
                if (c != null) all.add(new Claim(c.campaignId(), c.senderId(), c.fence(), c.worker(), c.from(), at));
            }
        }
        all.addAll(open.values());
        all.sort(Comparator.comparing(Claim::from));
        return all;
    }

    /** Pairs of claims on one sender's campaigns that were live at the same time. */
    List<String> overlapsPerSender() {
        List<Claim> claims = claims();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < claims.size(); i++) {
            for (int j = i + 1; j < claims.size(); j++) {
                Claim a = claims.get(i);
                Claim b = claims.get(j);
                if (a.senderId() == b.senderId() && a.overlaps(b)) out.add(a + " overlaps " + b);
            }
        }
        return out;
    }

    @Override
    public void close() {
        dsl.execute("drop trigger if exists test_log_claims on campaign_queue");
        dsl.execute("drop function if exists test_log_claims()");
        dsl.execute("drop table if exists test_claim_log");
    }
}
