-- An endpoint answers again after an outage: a page of the events waiting for a later attempt become
-- due now, each scored by its event's time so the oldest goes first. Called until a page is short.
-- KEYS[1] the queue (id by due time), KEYS[2] the times (id by event time).
-- ARGV[1] now (Unix ms), ARGV[2] the page size. Returns how many were moved.
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf', 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(ids) do
  local time = redis.call('ZSCORE', KEYS[2], id)
  if not time or tonumber(time) > tonumber(ARGV[1]) then
    time = ARGV[1]
  end
  redis.call('ZADD', KEYS[1], time, id)
end
return #ids
