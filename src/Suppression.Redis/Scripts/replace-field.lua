-- Sets a mailbox's field to a new value if it still holds the value the caller read: the import's
-- compare-and-set, so a row merged into a mailbox's entries never overwrites a change made since.
-- The caller decodes and merges (either stored format), Lua only compares bytes.
-- KEYS[1] bucket hash, ARGV[1] mailbox field, ARGV[2] expected value, ARGV[3] new value.
-- Returns 1 when written, 0 when the field changed meanwhile (the caller reads again).
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current ~= ARGV[2] then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
