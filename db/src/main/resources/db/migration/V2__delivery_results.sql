-- Delivery results: webhooks (outbox, subscriptions, delivery log) and the recipient domain on attempts,
-- from which circuit breakers are rebuilt when Redis has lost them.

alter table delivery_attempt add column recipient_domain varchar(254);
create index delivery_attempt_by_domain on delivery_attempt (recipient_domain, id);

create table webhook_endpoint (
    id          bigserial primary key,
    url         text        not null,
    secret      text        not null,
    active      boolean     not null default true,
    created_at  timestamptz not null default now()
);

create table webhook_subscription (
    endpoint_id  bigint      not null references webhook_endpoint (id) on delete cascade,
    event        varchar(32) not null check (event in ('delivered', 'bounced', 'failed', 'deferred', 'campaign.finished')),
    primary key (endpoint_id, event)
);

-- Written in the same transaction as the status change it reports; dispatched by workers.
create table webhook_outbox (
    id               bigserial primary key,
    endpoint_id      bigint      not null references webhook_endpoint (id) on delete cascade,
    event            varchar(32) not null,
    payload          text        not null,
    status           varchar(16) not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
    attempts         integer     not null default 0,
    next_attempt_at  timestamptz not null default now(),
    last_error       text,
    created_at       timestamptz not null default now(),
    delivered_at     timestamptz
);
create index webhook_outbox_due on webhook_outbox (status, next_attempt_at);

create table webhook_delivery (
    id            bigserial primary key,
    outbox_id     bigint      not null references webhook_outbox (id) on delete cascade,
    endpoint_id   bigint      not null,
    attempt_no    integer     not null,
    status_code   integer,
    error         text,
    duration_ms   integer     not null,
    attempted_at  timestamptz not null default now()
);
create index webhook_delivery_by_endpoint on webhook_delivery (endpoint_id, id);

-- Bounces and complaints reported after the fact by a provider.
create table bounce_event (
    id           bigserial primary key,
    message_id   text,
    email        varchar(254) not null,
    type         varchar(16) not null check (type in ('hard', 'soft', 'complaint')),
    smtp_code    integer,
    diagnostic   text,
    recipient_id bigint,
    created_at   timestamptz not null default now()
);
