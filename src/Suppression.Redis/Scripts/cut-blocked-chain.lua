-- Removes the oldest records of a blocked-deliveries chain once they are past retention, and seals
-- the cut (the anchor) so that verification can tell this cut from records deleted by hand.
-- KEYS[1] blocked-deliveries chain, KEYS[2] heads hash.
-- ARGV[1] how many records to remove, ARGV[2] the expected start ("<sequence>\t<hash>\t") of the
-- last of them, ARGV[3] the anchor ("<sequence>\t<hash>\t<cut unix ms>\t<seal>").
-- Returns 1 when cut, 0 when the chain is not as read (the caller reads again next time).
local count = tonumber(ARGV[1])
local last = redis.call('LINDEX', KEYS[1], count - 1)
if not last or string.sub(last, 1, #ARGV[2]) ~= ARGV[2] then
  return 0
end

redis.call('LTRIM', KEYS[1], count, -1)
redis.call('HSET', KEYS[2], 'd0', ARGV[3])
return 1
