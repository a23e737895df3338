-- Removes from the head of a bucket's webhook outbox the pointers a fan-out handled, in the order it
-- read them, and stops at the first that is not there: another instance that popped the same bucket
-- (it was marked ready again meanwhile) may have trimmed them already, and a blind LTRIM would then
-- drop pointers nobody handled. Writers only append, so handled pointers are always at the head.
-- KEYS[1] the outbox; ARGV the handled pointers, oldest first. Returns how many pointers are left.
for _, pointer in ipairs(ARGV) do
  if redis.call('LINDEX', KEYS[1], 0) ~= pointer then
    break
  end
  redis.call('LPOP', KEYS[1])
end
return redis.call('LLEN', KEYS[1])
