-- Reserves up to ARGV[1] sends against a sender's hour, month and provider-sync counters, atomically (I5, I6).
-- KEYS: hour counter, month counter, sends-since-sync counter, the counters' generation
-- ARGV: wanted, hourly limit, monthly limit, provider remaining at sync (-1: never synced),
--       hour ceiling for this reservation (a campaign's stops at the limit less the sender's test reserve; a
--       test email's is the limit; never above the limit; absent: the limit)
-- Returns {granted, limited_by, generation}: limited_by 0 none, 1 hour, 2 month. {-1, 0, generation or ''}
-- grants nothing: the counters must be rebuilt from PostgreSQL first, because one is missing (expired, lost
-- with Redis) or because they were counted on another server (the generation names the server that
-- rebuilt them: after a failover the new master may lack the old one's last writes, or hold a
-- reservation twice).
local generation = redis.call('GET', KEYS[4])
local run_id = string.match(redis.call('INFO', 'server'), 'run_id:(%x+)')
local synced = tonumber(ARGV[4])
local hour = redis.call('GET', KEYS[1])
local month = redis.call('GET', KEYS[2])
local since_sync = nil
if synced >= 0 then since_sync = redis.call('GET', KEYS[3]) end
if (not hour) or (not month) or (synced >= 0 and not since_sync)
    or (not generation) or string.sub(generation, 1, #run_id + 1) ~= run_id .. ':' then
  return {-1, 0, generation or ''}
end
local wanted = tonumber(ARGV[1])
local hour_limit = tonumber(ARGV[2])
local ceiling = math.min(hour_limit, tonumber(ARGV[5]) or hour_limit)
local hour_room = ceiling - tonumber(hour)
local month_room = tonumber(ARGV[3]) - tonumber(month)
if synced >= 0 then month_room = math.min(month_room, synced - tonumber(since_sync)) end
local granted = math.max(0, math.min(wanted, hour_room, month_room))
if granted > 0 then
  redis.call('INCRBY', KEYS[1], granted)
  redis.call('INCRBY', KEYS[2], granted)
  if synced >= 0 then redis.call('INCRBY', KEYS[3], granted) end
end
local limited_by = 0
if granted < wanted then
  if month_room <= granted then limited_by = 2 else limited_by = 1 end
end
return {granted, limited_by, generation}
