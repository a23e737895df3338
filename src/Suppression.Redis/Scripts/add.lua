-- Adds one suppression entry to an address, unless the address already has an entry of that scope.
-- Atomic (a script runs alone), so concurrent adds of one scope leave exactly one entry.
-- KEYS[1] bucket hash, ARGV[1] address field, ARGV[2] scope prefix ("<scope>\t"),
-- ARGV[3] encoded entry. Returns 1 when added, 0 when the scope was already present.
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
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
