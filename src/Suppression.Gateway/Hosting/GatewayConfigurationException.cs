namespace Suppression.Gateway.Hosting;

/// <summary>Start-up stopped by configuration: one line per bad key, for the operator.</summary>
public sealed class GatewayConfigurationException(IReadOnlyList<string> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
