namespace Suppression.Cli.Gateway;

/// <summary>The gateway answered, with an error: shown as its problem document, exit code 1.</summary>
internal sealed class GatewayProblemException(ProblemDetails problem) : Exception(problem.ToMessage())
{
    public ProblemDetails Problem { get; } = problem;
}
