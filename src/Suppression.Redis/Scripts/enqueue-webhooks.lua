-- Queues events for one webhook endpoint, idempotently by event id: a fan-out run again after a crash
-- adds nothing, and an event already retried keeps its due time, attempts and body. One exception:
-- a body queued with a clear address is replaced by the same event's body without one (the record
-- was erased since, or the endpoint no longer takes addresses), so a re-run after a crash cannot
-- keep an address an erasure took out of the chain. (The writer spells them "address":"..." and
-- "address":null; "addressHash" does not match either.)
-- KEYS[1] the queue (id by due time), KEYS[2] the times (id by event time), KEYS[3] the bodies.
-- ARGV: triplets of event id, event time (Unix ms), body. Returns how many were new.
local added = 0
for index = 1, #ARGV, 3 do
  local id, time, body = ARGV[index], ARGV[index + 1], ARGV[index + 2]
  if redis.call('HSETNX', KEYS[3], id, body) == 1 then
    redis.call('ZADD', KEYS[1], 'NX', time, id)
    redis.call('ZADD', KEYS[2], 'NX', time, id)
    added = added + 1
  elseif string.find(body, '"address":null', 1, true) then
    local queued = redis.call('HGET', KEYS[3], id)
    if queued and string.find(queued, '"address":"', 1, true) then
      redis.call('HSET', KEYS[3], id, body)
    end
  end
end
return added
