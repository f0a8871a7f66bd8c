-- Records a batch's completed attempts on each route (sender, recipient domain) it touched, in one call,
-- and opens the circuit of a route whose failure rate over the sliding window reached the rule (I16).
-- Each recipient counts once however often it was retried: its latest attempt decides.
-- KEYS: the sender's open-routes sorted set (domain -> until ms), then per domain three keys: tried
--       (recipient -> last attempt ms), failed (recipient -> ms), info (hash shown by the API; its opened_at
--       is when the route first opened: a failed probe that opens it again keeps it)
-- ARGV: window ms, min attempts, failure percent, open-until ms, now ms,
--       then per domain: domain, n accepted, n failed, accepted ids..., failed ids..., last reply
-- Returns {number of circuits (re)opened}.
local window, min_attempts, percent = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local open_until, now = ARGV[4], tonumber(ARGV[5])
local opened = 0
local a = 6

local function open(k, domain, tried, failed, reply, again)
  redis.call('ZADD', KEYS[1], open_until, domain)
  redis.call('HSET', KEYS[k + 2], 'failure_rate', string.format('%.3f', failed / math.max(tried, 1)),
    'attempts', tried, 'last_reply', reply)
  if again then redis.call('HSETNX', KEYS[k + 2], 'opened_at', now) else redis.call('HSET', KEYS[k + 2], 'opened_at', now) end
  -- relative to the caller's now, never the server's clock: kept a day past the cool-down
  redis.call('PEXPIRE', KEYS[k + 2], tonumber(open_until) - now + 86400000)
  redis.call('DEL', KEYS[k], KEYS[k + 1])
  opened = opened + 1
end

for k = 2, #KEYS, 3 do
  local domain, n_ok, n_fail = ARGV[a], tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
  local ok_from, fail_from = a + 3, a + 3 + n_ok
  local reply = ARGV[fail_from + n_fail]
  a = fail_from + n_fail + 1
  local score = redis.call('ZSCORE', KEYS[1], domain)
  if score and tonumber(score) <= now then
    -- Half-open: this batch carried the probe. Delivered closes the route; refused opens it again.
    if n_ok > 0 then
      redis.call('ZREM', KEYS[1], domain)
      redis.call('DEL', KEYS[k], KEYS[k + 1], KEYS[k + 2])
    elseif n_fail > 0 then
      local tried = tonumber(redis.call('HGET', KEYS[k + 2], 'attempts') or '1')
      open(k, domain, tried, tried, reply, true)
    end
  elseif not score then
    redis.call('ZREMRANGEBYSCORE', KEYS[k], '-inf', now - window)
    redis.call('ZREMRANGEBYSCORE', KEYS[k + 1], '-inf', now - window)
    for i = ok_from, ok_from + n_ok - 1 do
      redis.call('ZADD', KEYS[k], now, ARGV[i])
      redis.call('ZREM', KEYS[k + 1], ARGV[i])
    end
    for i = fail_from, fail_from + n_fail - 1 do
      redis.call('ZADD', KEYS[k], now, ARGV[i])
      redis.call('ZADD', KEYS[k + 1], now, ARGV[i])
    end
    redis.call('PEXPIRE', KEYS[k], window)
    redis.call('PEXPIRE', KEYS[k + 1], window)
    local tried, failed = redis.call('ZCARD', KEYS[k]), redis.call('ZCARD', KEYS[k + 1])
    if tried >= min_attempts and failed * 100 >= percent * tried then open(k, domain, tried, failed, reply, false) end
  end
end
return {opened}
