-- Deliverability: unsubscribes (I18), DKIM and a bounce mailbox per sender (secrets sealed, I19),
-- scheduled sends, and the reputation a campaign and a sender earn after sending.

-- Which campaign an unsubscribe, a matched bounce or a complaint came from.
alter table suppression add column campaign_id bigint references campaign (id);
create index suppression_by_campaign on suppression (campaign_id);

-- DKIM: the private key is sealed (I19); the DNS record is derived from it.
alter table sender add column dkim_domain varchar(253);
alter table sender add column dkim_selector varchar(63);
alter table sender add column dkim_private_key text;
alter table sender add constraint sender_dkim_whole
    check ((dkim_domain is null) = (dkim_selector is null) and (dkim_domain is null) = (dkim_private_key is null));

-- A bounce mailbox: messages go out with the envelope sender bounces+<token>@bounce_domain (VERP) and a
-- worker reads what comes back over IMAP. The password is sealed (I19).
alter table sender add column bounce_domain varchar(253);
alter table sender add column bounce_imap_host text;
alter table sender add column bounce_imap_port integer check (bounce_imap_port between 1 and 65535);
alter table sender add column bounce_imap_tls varchar(16) check (bounce_imap_tls in ('none', 'starttls', 'tls'));
alter table sender add column bounce_imap_username text;
alter table sender add column bounce_imap_password text;
alter table sender add column bounce_imap_folder text;
alter table sender add column bounce_processed_folder text;
alter table sender add column bounce_checked_at timestamptz;
alter table sender add column bounce_last_error text;

-- Scheduled sends: queuing before send_at defers the campaign with reason 'scheduled' until then.
alter table campaign add column send_at timestamptz;

-- Later bounces and complaints: where they came from, what they matched and which rule decided.
alter table bounce_event add column campaign_id bigint;
alter table bounce_event add column sender_id bigint;
alter table bounce_event add column source varchar(16) not null default 'api' check (source in ('api', 'mailbox'));
alter table bounce_event add column rule text;
alter table bounce_event add column report_id varchar(998);
create index bounce_event_by_campaign on bounce_event (campaign_id, type);
create index bounce_event_by_sender_time on bounce_event (sender_id, created_at);
-- A report read from a mailbox twice (a crash before it was moved) is recorded once.
create unique index bounce_event_report_once on bounce_event (sender_id, report_id) where report_id is not null;

-- Reputation beside the delivery counts (never part of total): distinct recipients that bounced later,
-- complained or unsubscribed.
alter table campaign add column bounced integer not null default 0;
alter table campaign add column complained integer not null default 0;
alter table campaign add column unsubscribed integer not null default 0;

-- One sender.complaint_rate alert until the rate falls back under the threshold.
alter table sender add column complaint_alert_at timestamptz;
