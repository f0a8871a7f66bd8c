-- Where the bounce reader stopped in its folder: messages it read and left there (unmatched, unreadable)
-- are not read again, so a folder with more of them than one poll reads still reaches the reports behind
-- them. A UID means nothing under another UIDVALIDITY (the folder was re-created): the reader then starts over.
alter table sender add column bounce_uid_validity bigint;
alter table sender add column bounce_next_uid bigint;
