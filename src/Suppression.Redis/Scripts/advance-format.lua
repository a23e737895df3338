-- Moves the store's format marker forward, never back: two upgrades racing (one to compact, one to
-- hashed) must not leave the earlier format marked after the later one was set.
-- KEYS[1] the marker (sup:format), ARGV[1] the format wanted ("2" or "3").
-- Returns the marker as it is afterwards: ARGV[1], or the later (or unknown) one already there.
local current = redis.call('GET', KEYS[1])
if current == false or current == '' or current == '1' or (current == '2' and ARGV[1] == '3') then
  redis.call('SET', KEYS[1], ARGV[1])
  return ARGV[1]
end
return current
