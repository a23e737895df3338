-- Reads what buckets' webhook outboxes point at, in one round trip: each bucket's pointers
-- ("<chain>\t<sequence>", the chain "c-<tag>" or "d-<tag>" of that bucket) and the records of each of
-- its chains that cover them. In a cluster it is called with one bucket (one slot); on a single
-- server with many, so that what is per bucket is not per event.
-- KEYS per bucket, in threes: the outbox, the changes chain, the blocked-deliveries chain.
-- ARGV[1] > 0: read up to that many pointers from each outbox's head. ARGV[1] = 0: the pointers are
-- given (read again, or from the replay log): per bucket a count, then that many pointers.
-- Returns per bucket { pointers, changes records, blocked records }: each chain's records from the
-- lowest sequence pointed at to the highest (a chain's element n is sequence n + its first element's
-- sequence; the blocked chain's oldest may have been cut).
local function records(key, range, uncut)
  if not range then
    return {}
  end
  -- The changes chain is never cut, so sequence n is at index n - 1: one call, not two. Checked all
  -- the same (the first element read must be the lowest sequence asked for), else the general way.
  if uncut then
    local guess = redis.call('LRANGE', key, range[1] - 1, range[2] - 1)
    if guess[1] and tonumber(string.match(guess[1], '^(%d+)')) == range[1] then
      return guess
    end
  end
  local first = redis.call('LINDEX', key, 0)
  local offset = first and tonumber(string.match(first, '^(%d+)'))
  if not offset or range[2] < offset then
    return {}
  end
  return redis.call('LRANGE', key, math.max(0, range[1] - offset), range[2] - offset)
end

local max = tonumber(ARGV[1])
local position = 2
local result = {}
for bucket = 1, #KEYS / 3 do
  local outbox, changes, blocked = KEYS[bucket * 3 - 2], KEYS[bucket * 3 - 1], KEYS[bucket * 3]
  local pointers
  if max > 0 then
    pointers = redis.call('LRANGE', outbox, 0, max - 1)
  else
    pointers = {}
    local count = tonumber(ARGV[position])
    for index = position + 1, position + count do
      pointers[#pointers + 1] = ARGV[index]
    end
    position = position + count + 1
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

  result[bucket] = { pointers, records(changes, bounds['c'], true), records(blocked, bounds['d'], false) }
end
return result
