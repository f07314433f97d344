/**
 * The sliding-window check, run atomically inside Redis (one EVALSHA per request): a sorted set
 * per key holds the times (µs, Redis' own clock, so app instances' clocks do not matter) of the
 * requests counted in the window. Expired times are removed; the request is counted only if fewer
 * than `limit` remain. Returns `{ allowed (1|0), remaining, resetMs }`.
 *
 * KEYS[1] the key; ARGV[1] limit; ARGV[2] window in ms; ARGV[3] a member unique to this request.
 */
export const SLIDING_WINDOW_LUA = `
if redis.replicate_commands then redis.replicate_commands() end
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window_ms = tonumber(ARGV[2])
local window_us = window_ms * 1000
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', string.format('%.0f', now - window_us))
local count = redis.call('ZCARD', key)
local allowed = 0
if count < limit then
  redis.call('ZADD', key, string.format('%.0f', now), ARGV[3])
  redis.call('PEXPIRE', key, window_ms)
  count = count + 1
  allowed = 1
end
local reset_ms = window_ms
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
if oldest[2] then
  reset_ms = math.ceil((tonumber(oldest[2]) + window_us - now) / 1000)
end
local remaining = limit - count
if allowed == 0 or remaining < 0 then remaining = 0 end
return { allowed, remaining, reset_ms }
`;
