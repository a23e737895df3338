-- Records that one recipient's copy of a message was accepted upstream, and (re)starts the
-- message's expiry: the set lives for the retry window after its latest copy.
-- Atomic (a script runs alone), so the set never exists without an expiry.
-- KEYS[1] accepted-copies set, ARGV[1] recipient member, ARGV[2] retry window in milliseconds.
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
