-- A sender that logs in (a username) over an unencrypted connection (smtp_tls 'none') to a relay that is not
-- on this machine would send its password in clear. That is refused unless the sender says it accepts it;
-- senders stored before the rule say no, so the worker stops sending their AUTH in clear until an admin
-- moves them to starttls/tls or sets this flag.
alter table sender add column smtp_allow_plaintext_auth boolean not null default false;
