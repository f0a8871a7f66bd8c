package dev.mailroom.worker;

import java.util.List;
import org.jooq.DSLContext;

/**
 * I9 checked at every commit instead of at the end: deferred constraint triggers in the test database
 * recount a campaign's recipient rows when a transaction that touched them (or its counters) commits, and
 * log every commit whose counters disagree with the rows. A counter moved in a later transaction than its
 * rows, or not at all, shows here even if something repairs it afterwards.
 */
final class CounterAudit implements AutoCloseable {
    private final DSLContext dsl;

    private CounterAudit(DSLContext dsl) {
        this.dsl = dsl;
    }

    static CounterAudit install(DSLContext dsl) {
        dsl.execute("""
                create table if not exists test_drift_log (seq bigserial primary key, campaign_id bigint not null,
                    stored text, recounted text, at timestamptz not null default clock_timestamp())""");
        dsl.execute("""
                create or replace function test_check_counters() returns trigger language plpgsql as $$
                declare
                  row jsonb := to_jsonb(case when tg_op = 'DELETE' then old else new end);
                  cid bigint := (row ->> tg_argv[0])::bigint;
                  stored text;
                  recounted text;
                begin
                  select concat_ws('/', pending, sending, sent, failed, uncertain, suppressed, total) into stored
                    from campaign where id = cid;
                  select concat_ws('/', count(*) filter (where status = 'pending'), count(*) filter (where status = 'sending'),
                                   count(*) filter (where status = 'sent'), count(*) filter (where status = 'failed'),
                                   count(*) filter (where status = 'uncertain'), count(*) filter (where status = 'suppressed'),
                                   count(*)) into recounted
                    from campaign_recipient where campaign_id = cid;
                  if stored is distinct from recounted then
                    insert into test_drift_log (campaign_id, stored, recounted) values (cid, stored, recounted);
                  end if;
                  return null;
                end $$""");
        dsl.execute("drop trigger if exists test_check_recipients on campaign_recipient");
        dsl.execute("drop trigger if exists test_check_campaign on campaign");
        dsl.execute("""
                create constraint trigger test_check_recipients after insert or update or delete on campaign_recipient
                deferrable initially deferred for each row execute function test_check_counters('campaign_id')""");
        dsl.execute("""
                create constraint trigger test_check_campaign after update on campaign
                deferrable initially deferred for each row execute function test_check_counters('id')""");
        return new CounterAudit(dsl);
    }

    /** Commits whose counters disagreed with the rows: "campaign 3: stored 2/0/... recounted 1/0/..."; counters pending/sending/sent/failed/uncertain/suppressed/total. */
    List<String> drifts() {
        return dsl.fetch("select campaign_id, stored, recounted from test_drift_log order by seq")
                .map(r -> "campaign " + r.get(0) + ": stored " + r.get(1) + ", recounted " + r.get(2));
    }

    @Override
    public void close() {
        dsl.execute("drop trigger if exists test_check_recipients on campaign_recipient");
        dsl.execute("drop trigger if exists test_check_campaign on campaign");
        dsl.execute("drop function if exists test_check_counters()");
        dsl.execute("drop table if exists test_drift_log");
    }
}
