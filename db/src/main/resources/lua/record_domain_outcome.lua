-- Records a batch's results for every domain it touched, in one call, and opens the circuit of each
-- domain that has now failed `threshold` distinct messages in a row.
-- KEYS: open-circuits sorted set (domain -> open-until ms), then each domain's set of failed message ids
-- ARGV: threshold, open-until ms, now ms, then per domain: domain, any success (0/1), n, n failed message ids
-- Returns {number of circuits (re)opened}.
local threshold, open_until, now = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3])
local opened = 0
local a = 4
for k = 2, #KEYS do
  local domain, success, n = ARGV[a], ARGV[a + 1], tonumber(ARGV[a + 2])
  a = a + 3
  if success == '1' then
    -- A delivered message ends the run of failures and closes the circuit.
    redis.call('DEL', KEYS[k])
    redis.call('ZREM', KEYS[1], domain)
  end
  if n > 0 then
    local score = redis.call('ZSCORE', KEYS[1], domain)
    if score and tonumber(score) <= now then
      -- Half-open and the probe failed: open again for a full cool-down.
      redis.call('ZADD', KEYS[1], open_until, domain)
      opened = opened + 1
    else
      for i = a, a + n - 1 do redis.call('SADD', KEYS[k], ARGV[i]) end
      redis.call('PEXPIRE', KEYS[k], 86400000)
      if redis.call('SCARD', KEYS[k]) >= threshold then
        redis.call('ZADD', KEYS[1], open_until, domain)
        redis.call('DEL', KEYS[k])
        opened = opened + 1
      end
    end
  end
  a = a + n
end
return {opened}
