using Microsoft.Extensions.Options;
using Suppression.Configuration;
using Suppression.Redis.Suppressions;

namespace Suppression.Redis.Hosting;

/// <summary>Each bad store key is one line naming it, before anything starts.</summary>
public sealed class SuppressionRedisOptionsValidation : IValidateOptions<SuppressionRedisOptions>
{
    public ValidateOptionsResult Validate(string? name, SuppressionRedisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new ConfigurationProblems();
        var redis = options.RedisResilience;
        problems.Check(redis.LookupTimeout >= TimeSpan.FromMilliseconds(100) && redis.LookupTimeout <= TimeSpan.FromMinutes(1),
            "Suppression:RedisResilience:LookupTimeout", "must be between 00:00:00.1 and 00:01:00");
        problems.Check(redis.AttemptTimeout >= TimeSpan.FromMilliseconds(10) && redis.AttemptTimeout <= redis.LookupTimeout,
            "Suppression:RedisResilience:AttemptTimeout", "must be at least 00:00:00.01 and at most LookupTimeout");
        problems.Check(redis.LookupRetries is >= 0 and <= 10, "Suppression:RedisResilience:LookupRetries", "must be between 0 and 10");
        problems.Check(redis.WriteTimeout >= TimeSpan.FromMilliseconds(100) && redis.WriteTimeout <= TimeSpan.FromMinutes(1),
            "Suppression:RedisResilience:WriteTimeout", "must be between 00:00:00.1 and 00:01:00");
        problems.Check(redis.BreakDuration >= TimeSpan.FromMilliseconds(500) && redis.BreakDuration <= TimeSpan.FromDays(1),
            "Suppression:RedisResilience:BreakDuration", "must be between 00:00:00.5 and 1.00:00:00 (Polly's limits)");
        problems.Check(!string.IsNullOrEmpty(options.RedisKeyPrefix) && options.RedisKeyPrefix.IndexOfAny(['{', '}']) < 0, "Suppression:RedisKeyPrefix",
            "must be non-empty and without '{' or '}' (those are Redis Cluster hash tags)");
        problems.Check(options.NewStoreFormat is StorageFormat.Compact or StorageFormat.Hashed, "Suppression:NewStoreFormat", "must be Compact or Hashed");
        return problems.Lines.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Lines);
    }
}
