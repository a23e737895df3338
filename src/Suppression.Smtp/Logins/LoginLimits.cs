namespace Suppression.Smtp.Logins;

/// <summary>How many wrong passwords a client may send before AUTH is refused, and for how long.</summary>
/// <param name="FailuresPerUser">Failures from one client network with one user name before that name is locked out there.</param>
/// <param name="FailuresPerClient">Failures from one client network with any names before the whole network is locked out.</param>
/// <param name="FirstLockout">The lockout the limit's failure starts; each failure after it doubles it.</param>
/// <param name="MaxLockout">The longest lockout.</param>
/// <param name="Memory">How long failures are remembered after the last one, or after the lockout it started ends.</param>
public sealed record LoginLimits(int FailuresPerUser, int FailuresPerClient, TimeSpan FirstLockout, TimeSpan MaxLockout, TimeSpan Memory)
{
    public TimeSpan LockoutAfter(int failures, int limit)
    {
        if (failures < limit)
        {
            return TimeSpan.Zero;
        }

        var doubled = FirstLockout.Ticks * Math.Pow(2, Math.Min(failures - limit, 40));
        return doubled >= MaxLockout.Ticks ? MaxLockout : TimeSpan.FromTicks((long)doubled);
    }
}
