-- Reads what a bucket's webhook outbox points at, in one round trip: the pointers ("<chain>\t<sequence>",
-- the chain "c-<tag>" or "d-<tag>" of this bucket) and the records of each chain that cover them.
-- KEYS[1] the outbox, KEYS[2] the bucket's changes chain, KEYS[3] its blocked-deliveries chain.
-- ARGV[1] > 0: read up to that many pointers from the outbox's head; ARGV[1] = 0: the pointers are
-- ARGV[2..] (read again, or from the replay log). Returns { pointers, changes records, blocked records }:
-- each chain's records from the lowest sequence pointed at to the highest (a chain's element n is
-- sequence n + its first element's sequence; the blocked chain's oldest may have been cut).
local pointers
if tonumber(ARGV[1]) > 0 then
  pointers = redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
else
  pointers = {}
  for index = 2, #ARGV do
    pointers[#pointers + 1] = ARGV[index]
  end
end

local bounds = {}
for _, pointer in ipairs(pointers) do
  local kind, sequence = string.match(pointer, '^(%a)%-[^\t]*\t(%d+)$')
  sequence = tonumber(sequence)
  if sequence and (kind == 'c' or kind == 'd') then
    local range = bounds[kind]
    if range then
      if sequence < range[1] then range[1] = sequence end
      if sequence > range[2] then range[2] = sequence end
    else
      bounds[kind] = { sequence, sequence }
    end
  end
end

local function records(key, range)
  if not range then
    return {}
  end
  local first = redis.call('LINDEX', key, 0)
  local offset = first and tonumber(string.match(first, '^(%d+)'))
  if not offset or range[2] < offset then
    return {}
  end
  return redis.call('LRANGE', key, math.max(0, range[1] - offset), range[2] - offset)
end

return { pointers, records(KEYS[2], bounds['c']), records(KEYS[3], bounds['d']) }
