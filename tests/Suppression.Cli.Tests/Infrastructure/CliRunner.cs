namespace Suppression.Cli.Tests.Infrastructure;

/// <summary>
/// Runs the real <c>suppression</c> command line in-process, as Program.cs does, with captured
/// writers, a private environment (by default pointing at the fake gateway with its key) and a
/// terminal that is redirected unless a test says otherwise.
/// </summary>
public sealed class CliRunner
{
    public CliRunner(FakeGateway? gateway = null)
    {
        if (gateway is not null)
        {
            Environment["SUPPRESSION_URL"] = gateway.Url.ToString();
            Environment["SUPPRESSION_API_KEY"] = FakeGateway.ApiKey;
        }
    }

    public Dictionary<string, string> Environment { get; } = [];

    public string Input { get; set; } = "";

    public bool InputIsTerminal { get; set; }

    public bool ErrorIsTerminal { get; set; }

    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var input = new StringReader(Input);
        var standardOutput = new MemoryStream();
        var terminal = new Terminal
        {
            Out = output,
            Error = error,
            In = input,
            OpenStandardOutput = () => standardOutput,
            IsErrorRedirected = !ErrorIsTerminal,
            IsInputRedirected = !InputIsTerminal,
            ErrorWidth = () => 80,
            Environment = name => Environment.GetValueOrDefault(name),
        };

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var exitCode = await SuppressionCommandLine.InvokeAsync(args, terminal, timeout.Token);
        return new CliResult(exitCode, output.ToString(), error.ToString(), standardOutput.ToArray());
    }
}
