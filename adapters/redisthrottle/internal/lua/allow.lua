-- Allow: take one token from a bucket of capacity burst refilled at rate
-- tokens per second, the arithmetic of the in-process buckets step for step
-- so both answer alike. KEYS[1]: the bucket. ARGV: now (microseconds), rate,
-- burst, the bucket's lifetime when idle (milliseconds: a full refill).
-- Returns "0", or the wait in seconds (%.17g) when no token is free.
local now, rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local v = redis.call('HMGET', KEYS[1], 'k', 't')
local tokens, last = tonumber(v[1]), tonumber(v[2])
if tokens == nil or last == nil then
  tokens, last = burst, now
end
local d = now - last
if d > 0 then
  -- seconds as time.Duration.Seconds computes them: whole seconds plus
  -- nanoseconds / 1e9
  local whole = math.floor(d / 1000000)
  local elapsed = whole + ((d - whole * 1000000) * 1000) / 1e9
  tokens, last = math.min(burst, tokens + elapsed * rate), now
end
local wait = '0'
if tokens < 1 then
  wait = string.format('%.17g', (1 - tokens) / rate)
else
  tokens = tokens - 1
end
redis.call('HSET', KEYS[1], 'k', string.format('%.17g', tokens), 't', last)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return wait
