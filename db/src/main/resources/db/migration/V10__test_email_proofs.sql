-- Proofing a live campaign (issue 15).
-- A sender keeps test_reserve_per_hour of each hour's sends for test emails: campaign reservations stop at
-- hourly_limit - test_reserve_per_hour, test emails may use the whole hourly limit (I5 holds for both
-- together). 0 (every existing sender) reserves nothing; any other value must be below hourly_limit.
alter table sender add column test_reserve_per_hour integer not null default 0;
alter table sender add constraint sender_test_reserve_below_hourly_limit
    check (test_reserve_per_hour >= 0 and (test_reserve_per_hour = 0 or test_reserve_per_hour < hourly_limit));

-- A test email of a campaign is rendered with this recipient's data (name, email, vars), as the campaign's
-- message for that recipient would be; null for a test email without a campaign or of a campaign that had
-- no recipient when it was asked for.
alter table test_email add column recipient_id bigint references campaign_recipient (id);
-- The campaign page lists its test emails, newest first.
create index test_email_by_campaign on test_email (campaign_id, id) where campaign_id is not null;
