-- Takes or renews a webhook endpoint's delivery lease: one instance at a time delivers an endpoint.
-- KEYS[1] the lease; ARGV[1] this instance, ARGV[2] the lease in milliseconds. Returns 1 when held.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return 1
end
return 0
