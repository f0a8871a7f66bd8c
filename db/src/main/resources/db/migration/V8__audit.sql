-- Who changed what, when: one row per change made through the API (or by a web start rotating the
-- bootstrap key), written in the change's own transaction where the change is PostgreSQL's. The caller's
-- key is named by id and, for reading without a join and after renames, by name; key_id is null for the
-- process itself. detail never holds a password, secret or key.
create table audit_event (
    id          bigserial primary key,
    at          timestamptz not null default now(),
    key_id      bigint references api_key (id) on delete set null,
    key_name    text,
    action      varchar(64) not null,
    target_type varchar(32) not null,
    target_id   varchar(512),
    detail      jsonb not null default '{}'
);
create index audit_event_by_target on audit_event (target_type, target_id, id);
create index audit_event_by_key on audit_event (key_id, id);
