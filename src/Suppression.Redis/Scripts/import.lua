-- Adds one imported entry to a mailbox unless it already has an entry of that scope: an import
-- never replaces or removes anything, so importing a file twice changes nothing the second time.
-- No audit record here: the import's one record per batch is written by the importer, and the
-- entry names its batch.
-- KEYS[1] bucket hash, ARGV[1] mailbox field, ARGV[2] scope prefix ("<scope>\t"), ARGV[3] entry,
-- ARGV[4] address line ("@<address>"), written only with the mailbox's first entry.
-- Returns 1 when added, 0 when the scope was already present.
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[4] .. '\n' .. ARGV[3])
  return 1
end

local prefix = ARGV[2]
for line in string.gmatch(current, '[^\n]+') do
  if string.sub(line, 1, #prefix) == prefix then
    return 0
  end
end

redis.call('HSET', KEYS[1], ARGV[1], current .. '\n' .. ARGV[3])
return 1
