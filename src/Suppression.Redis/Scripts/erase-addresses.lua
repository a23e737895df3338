-- Blanks the clear address of every record of one bucket's chains that holds one of the given
-- spellings of a mailbox. Only the address field (the fourth) changes: the hash chain covers the
-- body, which keeps the address's keyed hash, so the chain still verifies.
-- KEYS[1] changes chain, KEYS[2] blocked-deliveries chain; ARGV the exact addresses to blank.
-- Returns the number of records changed.
local wanted = {}
for _, address in ipairs(ARGV) do
  wanted[address] = true
end

local changed = 0
for _, key in ipairs(KEYS) do
  local elements = redis.call('LRANGE', key, 0, -1)
  for index, element in ipairs(elements) do
    -- <sequence>\t<hash>\t<unix ms>\t<address>\t<body>
    local third = string.find(element, '\t', (string.find(element, '\t', (string.find(element, '\t', 1, true) or 0) + 1, true) or 0) + 1, true)
    if third then
      local fourth = string.find(element, '\t', third + 1, true)
      if fourth and wanted[string.sub(element, third + 1, fourth - 1)] then
        redis.call('LSET', key, index - 1, string.sub(element, 1, third) .. string.sub(element, fourth))
        changed = changed + 1
      end
    end
  end
end
return changed
