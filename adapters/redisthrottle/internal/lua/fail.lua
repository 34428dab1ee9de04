-- Fail: count a failure on every counter, settling one attempt in flight.
-- KEYS: the counters. ARGV: now, in-flight lifetime (microseconds), then the
-- window (microseconds) of each counter.
local now, flightTTL = tonumber(ARGV[1]), tonumber(ARGV[2])
for i, key in ipairs(KEYS) do
  local window = tonumber(ARGV[i + 2])
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
  redis.call('HSET', key, 'c', count + 1, 'f', math.max(inFlight - 1, 0), 't', lastTry, 'e', ends)
  redis.call('PEXPIRE', key, math.ceil((ends - now) / 1000))
end
return 0
