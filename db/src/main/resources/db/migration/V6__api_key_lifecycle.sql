-- API key lifecycle: keys may expire and be revoked (never deleted: the audit and the key list keep naming
-- them), the time of last use is kept (written at most once a minute), and the key made from
-- MAILROOM_ADMIN_KEY is marked so that a web process started with another value revokes it.
alter table api_key add column expires_at timestamptz;
alter table api_key add column last_used_at timestamptz;
alter table api_key add column revoked_at timestamptz;
alter table api_key add column bootstrap boolean not null default false;

-- 'ingest' stands outside the admin > operator > viewer chain: it may only report bounces.
alter table api_key drop constraint if exists api_key_role_check;
alter table api_key add constraint api_key_role_known check (role in ('admin', 'operator', 'viewer', 'ingest'));

-- Keys made from MAILROOM_ADMIN_KEY by earlier versions carry this name; the next web start revokes every
-- one of them but the key it is given.
update api_key set bootstrap = true where name = 'admin (MAILROOM_ADMIN_KEY)';
