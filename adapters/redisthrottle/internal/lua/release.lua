-- Release: settle one attempt in flight on every counter without counting a
-- failure; a counter left with nothing to remember, or past its window, is
-- deleted. KEYS: the counters. ARGV: now (microseconds).
local now = tonumber(ARGV[1])
for _, key in ipairs(KEYS) do
  local v = redis.call('HMGET', key, 'c', 'f', 'e')
  local ends = tonumber(v[3])
  if ends ~= nil then
    local count, inFlight = tonumber(v[1]), math.max(tonumber(v[2]) - 1, 0)
    if (count == 0 and inFlight == 0) or now >= ends then
      redis.call('DEL', key)
    else
      redis.call('HSET', key, 'f', inFlight)
    end
  end
end
return 0
