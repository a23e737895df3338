-- Queues events for one webhook endpoint, idempotently by event id: a fan-out run again after a crash
-- adds nothing, and an event already retried keeps its due time, attempts and body.
-- KEYS[1] the queue (id by due time), KEYS[2] the times (id by event time), KEYS[3] the bodies.
-- ARGV: triplets of event id, event time (Unix ms), body. Returns how many were new.
local added = 0
for index = 1, #ARGV, 3 do
  local id, time = ARGV[index], ARGV[index + 1]
  if redis.call('HSETNX', KEYS[3], id, ARGV[index + 2]) == 1 then
    redis.call('ZADD', KEYS[1], 'NX', time, id)
    redis.call('ZADD', KEYS[2], 'NX', time, id)
    added = added + 1
  end
end
return added
