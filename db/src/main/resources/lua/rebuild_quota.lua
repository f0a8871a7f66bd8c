-- Seeds missing quota counters with the counts PostgreSQL holds; counters that exist are left alone,
-- so two workers rebuilding at once cannot undo each other's reservations.
-- KEYS: hour counter, month counter, sends-since-sync counter
-- ARGV: hour count, month count, since-sync count (-1: no sync), hour ttl s, month ttl s
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[4], 'NX')
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[5], 'NX')
if tonumber(ARGV[3]) >= 0 then redis.call('SET', KEYS[3], ARGV[3], 'EX', ARGV[5], 'NX') end
return {1}
