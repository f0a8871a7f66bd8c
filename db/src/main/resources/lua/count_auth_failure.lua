-- Counts one failed authentication of a client address in a fixed window, in one round trip.
-- KEYS[1]: the address's failure counter
-- ARGV[1]: the window in seconds (the counter's time to live, set by its first failure)
-- Returns {failures in the current window, seconds until the window ends}
local failures = redis.call('INCR', KEYS[1])
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {failures, ttl}
