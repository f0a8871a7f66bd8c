-- Gives back ARGV[1] reserved sends that provably led to no SMTP attempt, to the generation of counters
-- ARGV[2] they were taken from. Counters rebuilt since (or missing) are left alone: their count from
-- PostgreSQL already excludes what was never attempted.
-- KEYS: hour counter, month counter, sends-since-sync counter, the counters' generation
-- The generation names the server that rebuilt the counters: on another one (a failover) they are rebuilt before
-- use, and a release there could lower counts this server never held.
local run_id = string.match(redis.call('INFO', 'server'), 'run_id:(%x+)')
if redis.call('GET', KEYS[4]) ~= ARGV[2] or string.sub(ARGV[2], 1, #run_id + 1) ~= run_id .. ':' then return {0} end
for i = 1, 3 do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    local left = redis.call('DECRBY', KEYS[i], ARGV[1])
    if left < 0 then redis.call('SET', KEYS[i], 0, 'KEEPTTL') end
  end
end
return {1}
