-- Replaces one queued webhook body by its address-less form, only if it is still the body read (a
-- delivery may have removed it meanwhile: it must not come back).
-- KEYS[1] the endpoint's bodies hash; ARGV[1] event id, ARGV[2] body read, ARGV[3] body without address.
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
  return 1
end
return 0
