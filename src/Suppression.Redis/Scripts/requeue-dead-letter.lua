-- Moves one dead letter back to its endpoint's queue, only if it is still in the dead-letter list as
-- read (another operator's requeue, or an erasure's redaction, may have taken or rewritten it: the
-- body read must not be queued then). Queued as EnqueueAsync queues: by the event's time, so it is
-- due at once and the oldest goes first; an event already queued (a replay) keeps its entry.
-- KEYS[1] dead list, KEYS[2] queue, KEYS[3] times, KEYS[4] bodies, KEYS[5] attempts.
-- ARGV[1] the dead letter as read, ARGV[2] event id, ARGV[3] event time (Unix ms), ARGV[4] body.
if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then
  return 0
end
redis.call('ZADD', KEYS[2], 'NX', ARGV[3], ARGV[2])
redis.call('ZADD', KEYS[3], 'NX', ARGV[3], ARGV[2])
redis.call('HSETNX', KEYS[4], ARGV[2], ARGV[4])
redis.call('HDEL', KEYS[5], ARGV[2])
return 1
