-- An attempt row is written twice: inserted 'sending' when its batch is marked (I7), updated with the
-- outcome, code and reply when the batch is recorded. None of those columns is indexed, so the update can
-- stay on the row's page (a HOT update: no new entry in any of the table's four indexes) if the page has
-- room for the longer row. At the default fillfactor 100 the pages of freshly inserted attempts are full,
-- and every record paid for four index insertions per message. Applies to pages written from now on.
-- [jooq ignore start]
alter table delivery_attempt set (fillfactor = 80);
-- [jooq ignore stop]
