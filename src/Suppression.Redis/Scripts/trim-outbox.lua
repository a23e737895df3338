-- Removes from the head of each webhook outbox the pointers a fan-out handled, in the order it read
-- them, and stops at the first that is not there: another instance that popped the same bucket (it
-- was marked ready again meanwhile) may have trimmed them already, and a blind LTRIM would then drop
-- pointers nobody handled. Writers only append, so handled pointers are always at the head.
-- KEYS the outboxes (one in a cluster: one slot; many on a single server). ARGV per outbox: the
-- count of its handled pointers, then those pointers, oldest first.
-- Returns per outbox how many pointers are left.
local position = 1
local left = {}
for index, outbox in ipairs(KEYS) do
  local count = tonumber(ARGV[position])
  for at = position + 1, position + count do
    if redis.call('LINDEX', outbox, 0) ~= ARGV[at] then
      break
    end
    redis.call('LPOP', outbox)
  end
  position = position + count + 1
  left[index] = redis.call('LLEN', outbox)
end
return left
