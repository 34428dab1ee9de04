-- Check: refuse when any counter's failures, or failures plus attempts in
-- flight, reached its limit; otherwise count one attempt in flight on every
-- counter. One script, so replicas cannot interleave between read and write.
-- KEYS: the counters. ARGV: now, in-flight lifetime, in-flight retry (all
-- microseconds), then limit and window (microseconds) of each counter.
-- Returns 0, or the wait in microseconds when refused (nothing written).
local now, flightTTL, flightRetry = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local current, wait = {}, 0
for i, key in ipairs(KEYS) do
  local limit, window = tonumber(ARGV[2 * i + 2]), tonumber(ARGV[2 * i + 3])
  local v = redis.call('HMGET', key, 'c', 'f', 't', 'e')
  local count, inFlight, lastTry, ends = 0, 0, 0, tonumber(v[4])
  if ends == nil or now >= ends then
    ends = now + window
  else
    count, inFlight, lastTry = tonumber(v[1]), tonumber(v[2]), tonumber(v[3])
    if now - lastTry >= flightTTL then
      inFlight = 0
    end
  end
  current[i] = { count, inFlight, ends }
  if count >= limit then
    wait = math.max(wait, ends - now)
  elseif count + inFlight >= limit then
    wait = math.max(wait, flightRetry)
  end
end
if wait > 0 then
  return wait
end
for i, key in ipairs(KEYS) do
  local e = current[i]
  redis.call('HSET', key, 'c', e[1], 'f', e[2] + 1, 't', now, 'e', e[3])
  redis.call('PEXPIRE', key, math.ceil((e[3] - now) / 1000))
end
return 0
