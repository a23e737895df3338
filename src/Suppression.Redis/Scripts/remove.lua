-- Removes the entries of one scope from an address, or all of its entries when ARGV[2] is empty.
-- The field is deleted when nothing remains, so an address without entries costs no memory.
-- KEYS[1] bucket hash, ARGV[1] address field, ARGV[2] scope prefix ("<scope>\t") or "".
-- Returns the number of entries removed.
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then
  return 0
end

local prefix = ARGV[2]
local kept = {}
local removed = 0
for line in string.gmatch(current, '[^\n]+') do
  if prefix == '' or string.sub(line, 1, #prefix) == prefix then
    removed = removed + 1
  else
    kept[#kept + 1] = line
  end
end

if removed == 0 then
  return 0
end

if #kept == 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
else
  redis.call('HSET', KEYS[1], ARGV[1], table.concat(kept, '\n'))
end
return removed
