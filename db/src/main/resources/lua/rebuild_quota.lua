-- Sets a sender's quota counters to the counts PostgreSQL holds and starts a new generation of them, named
-- after this server and this moment. Only the worker holding the sender's lock reserves, and only once its
-- previous reservation is marked `sending` in PostgreSQL, so at its reservation PostgreSQL's count is the
-- whole truth. Done only if the generation is still the one the caller saw: a worker that lost the lock
-- without knowing it yet cannot overwrite counters the new holder has already rebuilt and reserved on.
-- KEYS: hour counter, month counter, sends-since-sync counter, the counters' generation
-- ARGV: hour count, month count, since-sync count (-1: no sync), hour ttl s, month ttl s,
--       the generation the caller saw ('' for none)
-- Returns {1} when rebuilt, {0} when another worker rebuilt them first.
if (redis.call('GET', KEYS[4]) or '') ~= ARGV[6] then return {0} end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[4])
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[5])
if tonumber(ARGV[3]) >= 0 then redis.call('SET', KEYS[3], ARGV[3], 'EX', ARGV[5]) end
local run_id = string.match(redis.call('INFO', 'server'), 'run_id:(%x+)')
local now = redis.call('TIME')
redis.call('SET', KEYS[4], run_id .. ':' .. now[1] .. '.' .. now[2])
return {1}
