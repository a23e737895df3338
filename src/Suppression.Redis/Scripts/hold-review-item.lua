-- Holds one report for review and, in the same atomic step, its webhook pointer (docs/design.md,
-- Webhooks: feedback.review), so a crash cannot keep the item and lose its event.
-- KEYS[1] items hash, KEYS[2] order sorted set (both under {feedback-review}).
-- ARGV[1] item id, ARGV[2] item JSON, ARGV[3] received time (Unix ms).
-- With webhooks on and an endpoint wanting the event: KEYS[3] the review outbox (same hash tag); the
-- pointer is the item id. Pushed first: a pointer that cannot be pushed (a key of the wrong type)
-- fails the script before the item is written, as in append-audit.lua.
if KEYS[3] then
  redis.call('RPUSH', KEYS[3], ARGV[1])
end

redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1
