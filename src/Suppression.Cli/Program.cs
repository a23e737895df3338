using Suppression.Cli;

// The first Ctrl+C cancels the running request (the command cleans up and exits 130); a second one
// is left to the runtime and ends the process at once.
using var cancellation = new CancellationTokenSource();
ConsoleCancelEventHandler onCancel = (_, e) =>
{
    if (!cancellation.IsCancellationRequested)
    {
        e.Cancel = true;
        cancellation.Cancel();
    }
};
Console.CancelKeyPress += onCancel;
try
{
    return await SuppressionCommandLine.InvokeAsync(args, Terminal.FromConsole(), cancellation.Token);
}
finally
{
    Console.CancelKeyPress -= onCancel;
}
