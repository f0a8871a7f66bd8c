-- Saying what is wrong: a relay that could not be reached, or refused us, names its fault (a stable code,
-- dev.mailroom.core.delivery.RelayFault) beside our words, instead of passing for an SMTP reply.

-- The fault of an attempt that got no SMTP answer, or whose answer refused us rather than the message.
alter table delivery_attempt add column fault varchar(32);

-- The fault of last_error (null with it).
alter table sender add column last_fault varchar(32);

-- The last time a worker talked to the sender's relay (a batch, a test email, a connection test) and what came
-- of it: 'ok', or 'failed' with the fault and its sentence. Null until the first time.
alter table sender add column connection_status varchar(16) check (connection_status in ('ok', 'failed'));
alter table sender add column connection_fault varchar(32);
alter table sender add column connection_detail text;
alter table sender add column connection_at timestamptz;

-- A connection test (POST /api/senders/{id}/connection-tests): the worker serving the sender connects, says
-- EHLO, upgrades to TLS and authenticates as the sender's settings say, then QUIT. No mail, no quota (I1, I5).
create table connection_test (
    id          bigserial primary key,
    sender_id   bigint      not null references sender (id),
    status      varchar(16) not null default 'queued' check (status in ('queued', 'ok', 'failed')),
    fault       varchar(32),
    detail      text,
    worker_id   text,
    created_at  timestamptz not null default now(),
    tested_at   timestamptz,
    constraint connection_test_failed_names_its_fault check (status <> 'failed' or fault is not null)
);
create index connection_test_waiting on connection_test (sender_id, id) where status = 'queued';
