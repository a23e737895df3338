-- Counts one soft bounce of an address and returns the count within the window. The window starts
-- with the first bounce (PEXPIRE only when the counter is new), so N bounces spread over more than
-- the window never add up. Atomic, so the counter never exists without an expiry.
-- KEYS[1] the address's soft-bounce counter, ARGV[1] window in milliseconds.
local count = redis.call('INCR', KEYS[1])
if count == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return count
