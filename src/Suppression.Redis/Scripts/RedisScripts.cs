namespace Suppression.Redis.Scripts;

// The Lua scripts next to this file, embedded in the assembly. They are sent with EVAL by text;
// StackExchange.Redis and the server cache them by SHA, so the text is not re-parsed per call.
internal static class RedisScripts
{
    public static string AppendAudit { get; } = Load("append-audit.lua");

    public static string ReplaceField { get; } = Load("replace-field.lua");

    public static string EraseAddresses { get; } = Load("erase-addresses.lua");

    public static string CutBlockedChain { get; } = Load("cut-blocked-chain.lua");

    public static string MarkAccepted { get; } = Load("mark-accepted.lua");

    public static string CountSoftBounce { get; } = Load("count-soft-bounce.lua");

    public static string AdvanceFormat { get; } = Load("advance-format.lua");

    public static string TrimOutbox { get; } = Load("trim-outbox.lua");

    public static string HoldLease { get; } = Load("hold-lease.lua");

    public static string EnqueueWebhooks { get; } = Load("enqueue-webhooks.lua");

    public static string ResumeWebhooks { get; } = Load("resume-webhooks.lua");

    public static string ReadOutbox { get; } = Load("read-outbox.lua");

    public static string RedactWebhookBody { get; } = Load("redact-webhook-body.lua");

    public static string HoldReviewItem { get; } = Load("hold-review-item.lua");

    public static string RequeueDeadLetter { get; } = Load("requeue-dead-letter.lua");

    private static string Load(string fileName)
    {
        var name = typeof(RedisScripts).Namespace + "." + fileName;
        using var stream = typeof(RedisScripts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded script '{name}' is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
