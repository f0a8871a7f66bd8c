-- Mailroom schema. PostgreSQL is the source of truth; Redis only coordinates.

create table api_key (
    id          bigserial primary key,
    name        text        not null,
    role        text        not null check (role in ('admin', 'operator', 'viewer')),
    key_hash    varchar(128)        not null unique,
    created_at  timestamptz not null default now()
);

create table sender (
    id               bigserial primary key,
    name             varchar(200) not null unique,
    from_email       text        not null,
    from_name        text,
    smtp_host        text        not null,
    smtp_port        integer     not null check (smtp_port between 1 and 65535),
    smtp_tls         text        not null default 'none' check (smtp_tls in ('none', 'starttls', 'tls')),
    smtp_username    text,
    smtp_password    text,
    hourly_limit     integer     not null check (hourly_limit >= 0),
    monthly_limit    integer     not null check (monthly_limit >= 0),
    quota_timezone   text        not null default 'UTC',
    window_start     time,
    window_end       time,
    window_timezone  text,
    window_days      text,
    enabled          boolean     not null default true,
    quota_remaining  integer,
    quota_synced_at  timestamptz,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now()
);

create table campaign (
    id               bigserial primary key,
    name             text        not null,
    sender_id        bigint      not null references sender (id),
    subject          text        not null,
    html             text,
    body_text        text,
    total            integer     not null default 0,
    pending          integer     not null default 0,
    sending          integer     not null default 0,
    sent             integer     not null default 0,
    failed           integer     not null default 0,
    uncertain        integer     not null default 0,
    suppressed       integer     not null default 0,
    batch_size       integer     not null default 50 check (batch_size between 1 and 10000),
    delay_ms         integer     not null default 0 check (delay_ms between 0 and 3600000),
    cooldown_seconds integer     not null default 0 check (cooldown_seconds between 0 and 86400),
    created_at       timestamptz not null default now(),
    constraint campaign_counts_add_up
        check (total = pending + sending + sent + failed + uncertain + suppressed)
);

-- One row per campaign: its place in the sender's queue and its one status (I4).
create table campaign_queue (
    id              bigserial primary key,
    campaign_id     bigint      not null unique references campaign (id),
    sender_id       bigint      not null references sender (id),
    status          varchar(32) not null check (status in ('draft', 'queued', 'processing', 'deferred', 'paused',
                                                           'cancelled', 'sent', 'completed_with_errors')),
    defer_reason    varchar(32) check (defer_reason in ('outside_hours', 'rate_hour', 'quota_month', 'transient_error',
                                                 'circuit_open', 'smtp_disabled', 'paused_by_user')),
    deferred_until  timestamptz,
    fence           bigint      not null default 0,
    claimed_by      varchar(200),
    claimed_at      timestamptz,
    queued_at       timestamptz,
    started_at      timestamptz,
    finished_at     timestamptz,
    last_batch_at   timestamptz,
    updated_at      timestamptz not null default now(),
    -- I3: a deferred row always says why and until when.
    constraint deferred_has_reason_and_until
        check (status <> 'deferred' or (defer_reason is not null and deferred_until is not null))
);

-- I2: at most one processing campaign per sender, enforced by the database itself.
create unique index campaign_queue_one_processing_per_sender on campaign_queue (sender_id) where status = 'processing';
create index campaign_queue_ready on campaign_queue (sender_id, status, queued_at);

create table campaign_recipient (
    id            bigserial primary key,
    campaign_id   bigint      not null references campaign (id),
    email         varchar(254) not null,
    name          text,
    vars          text,
    status        varchar(32) not null default 'pending'
                  check (status in ('pending', 'sending', 'sent', 'failed', 'uncertain', 'suppressed')),
    message_id    text,
    attempts      integer     not null default 0,
    fence         bigint,
    last_error    text,
    retry_at      timestamptz,
    attempted_at  timestamptz,
    sent_at       timestamptz,
    constraint campaign_recipient_once unique (campaign_id, email)
);
create index campaign_recipient_by_status on campaign_recipient (campaign_id, status, id);

create table test_email (
    id              bigserial primary key,
    sender_id       bigint      not null references sender (id),
    campaign_id     bigint references campaign (id),
    to_email        text        not null,
    subject         text        not null,
    html            text,
    body_text       text,
    status          varchar(32) not null default 'queued' check (status in ('queued', 'sending', 'sent', 'failed', 'deferred', 'uncertain')),
    message_id      text,
    attempts        integer     not null default 0,
    last_error      text,
    defer_reason    text,
    deferred_until  timestamptz,
    created_at      timestamptz not null default now(),
    attempted_at    timestamptz,
    sent_at         timestamptz,
    constraint test_email_deferred_has_reason_and_until
        check (status <> 'deferred' or (defer_reason is not null and deferred_until is not null))
);
create index test_email_waiting on test_email (sender_id, status, id);

-- Every SMTP attempt, written (committed) before the SMTP call: the record quotas are rebuilt from (I5).
create table delivery_attempt (
    id             bigserial primary key,
    sender_id      bigint      not null references sender (id),
    campaign_id    bigint,
    recipient_id   bigint,
    test_email_id  bigint,
    attempt_no     integer     not null,
    outcome        text        not null default 'sending'
                   check (outcome in ('sending', 'sent', 'transient', 'failed', 'uncertain', 'not_sent')),
    smtp_code      integer,
    reply          text,
    duration_ms    integer,
    worker_id      text        not null,
    attempted_at   timestamptz not null default now()
);
create index delivery_attempt_by_sender_time on delivery_attempt (sender_id, attempted_at);
create index delivery_attempt_by_recipient on delivery_attempt (recipient_id);

-- Every status change of a queue row, deferrals included (I3).
create table queue_event (
    id              bigserial primary key,
    campaign_id     bigint      not null references campaign (id),
    status          varchar(32) not null,
    defer_reason    varchar(32),
    deferred_until  timestamptz,
    detail          text,
    created_at      timestamptz not null default now()
);
create index queue_event_by_campaign on queue_event (campaign_id, id);

create table suppression (
    email       varchar(254) primary key,
    reason      text        not null check (reason in ('hard_bounce', 'complaint', 'manual', 'unsubscribe')),
    created_at  timestamptz not null default now()
);

-- I3: one notification per (campaign, reason, until), however often a worker hits the same limit.
create unique index queue_event_deferral_once on queue_event (campaign_id, defer_reason, deferred_until) where status = 'deferred';
