-- Appends one record to an audit chain and, in the same atomic step, applies the change it records
-- to a mailbox's field. The caller computed the record's hash from the head it read, and the new
-- field value from the value it read: both are compared first, and if either moved (another writer
-- came first) nothing is written and the caller reads again and retries.
-- KEYS[1] heads hash, KEYS[2] chain list, KEYS[3] bucket hash (all one bucket's hash tag).
-- ARGV[1] head field, ARGV[2] expected head ('' for a new chain), ARGV[3] new head, ARGV[4] element,
-- ARGV[5] mailbox field ('' when the record changes no field), ARGV[6] expected value ('' = absent),
-- ARGV[7] new value ('' deletes the field).
-- With webhooks on and a record that emits an event: KEYS[4] the bucket's webhook outbox (same hash
-- tag), ARGV[8] the pointer "<chain>\t<sequence>" pushed with the record, so the event is as durable
-- as the change. Otherwise both are absent and the script does what it always did.
-- Returns 1 when written, 0 when the head moved, -1 when the field changed.
local head = redis.call('HGET', KEYS[1], ARGV[1]) or ''
if head ~= ARGV[2] then
  return 0
end

if ARGV[5] ~= '' then
  local current = redis.call('HGET', KEYS[3], ARGV[5]) or ''
  if current ~= ARGV[6] then
    return -1
  end
end

-- The first write: Redis does not undo a script's writes when a later command fails, so a pointer
-- that cannot be pushed (a key of the wrong type) must fail the script before the change is made.
if KEYS[4] then
  redis.call('RPUSH', KEYS[4], ARGV[8])
end

if ARGV[5] ~= '' then
  if ARGV[7] ~= ARGV[6] then
    if ARGV[7] == '' then
      redis.call('HDEL', KEYS[3], ARGV[5])
    else
      redis.call('HSET', KEYS[3], ARGV[5], ARGV[7])
    end
  end
end

redis.call('RPUSH', KEYS[2], ARGV[4])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
