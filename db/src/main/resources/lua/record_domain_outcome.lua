-- Records one domain's results from a batch and opens its circuit when enough distinct messages failed.
-- KEYS: open-circuits sorted set (domain -> open-until ms), the domain's set of failed message ids
-- ARGV: domain, any success (0/1), threshold, open-until ms, now ms, failed message ids...
-- Returns {1} when the circuit is (re)opened, {0} otherwise.
local domain = ARGV[1]
if ARGV[2] == '1' then
  -- A delivered message ends the run of failures and closes the circuit.
  redis.call('DEL', KEYS[2])
  redis.call('ZREM', KEYS[1], domain)
end
if #ARGV < 6 then return {0} end
local score = redis.call('ZSCORE', KEYS[1], domain)
if score and tonumber(score) <= tonumber(ARGV[5]) then
  -- Half-open and the probe failed: open again for a full cool-down.
  redis.call('ZADD', KEYS[1], ARGV[4], domain)
  return {1}
end
for i = 6, #ARGV do redis.call('SADD', KEYS[2], ARGV[i]) end
redis.call('PEXPIRE', KEYS[2], 86400000)
if redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[4], domain)
  redis.call('DEL', KEYS[2])
  return {1}
end
return {0}
