-- I15-I17: what a reply refused is kept with the attempt; the relay's own refusals wait at the sender.

-- Attempt outcomes: 'failed' is a refused mailbox, 'refused' a refused message or route; the relay-level
-- refusals ('unreachable', 'auth_refused', 'sender_refused') never touch the recipient and, like
-- 'transient' and 'not_sent', gave their quota back (I17).
alter table delivery_attempt drop constraint if exists delivery_attempt_outcome_check;
alter table delivery_attempt add constraint delivery_attempt_outcome_known
    check (outcome in ('sending', 'sent', 'transient', 'failed', 'refused', 'uncertain', 'not_sent',
                       'unreachable', 'auth_refused', 'sender_refused'));

alter table campaign_queue drop constraint if exists campaign_queue_defer_reason_check;
alter table campaign_queue add constraint campaign_queue_defer_reason_known
    check (defer_reason in ('outside_hours', 'rate_hour', 'quota_month', 'transient_error', 'circuit_open',
                            'smtp_disabled', 'paused_by_user', 'scheduled', 'smtp_auth', 'sender_refused'));

-- The relay's refusals of a sender in a row: the backoff grows across claims and restarts, and the first
-- accepted message resets it. last_error says why the sender's campaigns wait.
alter table sender add column relay_failures integer not null default 0;
alter table sender add column last_error text;
alter table sender add column last_error_at timestamptz;

alter table webhook_subscription drop constraint if exists webhook_subscription_event_check;
alter table webhook_subscription add constraint webhook_subscription_event_known
    check (event in ('delivered', 'bounced', 'failed', 'deferred', 'campaign.finished', 'unsubscribed',
                     'sender.complaint_rate', 'sender.relay_failed'));
