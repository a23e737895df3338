using System.Text;
using Suppression.Cli.Tests.Infrastructure;
using Suppression.Testing.Contract;

namespace Suppression.Cli.Tests.Gateway;

/// <summary>
/// The CLI follows the gateway's published contract (docs/openapi.json, itself held to the gateway by
/// the gateway's tests): every request each command sends is an operation of the document, with
/// only its query parameters and a body its schema takes; and the fake gateway the command tests
/// run against answers what the document says the real one answers.
/// </summary>
public sealed class ApiContractTests : IAsyncLifetime
{
    private static readonly OpenApiContract Contract = OpenApiContract.Load(Path.Combine(AppContext.BaseDirectory, "docs", "openapi.json"));

    private readonly string _directory = Directory.CreateTempSubdirectory("suppression-cli-contract-").FullName;
    private FakeGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await FakeGateway.StartAsync();

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Every_command_sends_only_requests_the_contract_describes()
    {
        var file = Path.Combine(_directory, "list.csv");
        await File.WriteAllTextAsync(file, "email,reason\r\njane@example.com,unsubscribe\r\n");
        string[][] commands =
        [
            ["lookup", "jane@example.com"],
            ["lookup", "a/b@example.com"],
            ["import", file],
            ["import", file, "--scope", "topic:acme/news"],
            ["import", file, "--reason", "unsubscribe", "--evidence", "CRM export of 2026-12-01"],
            ["check", file, "--tenant", "acme", "--topic", "news", "--class", "marketing"],
            ["export", "--format", "ndjson", "--output", Path.Combine(_directory, "out.ndjson")],
            ["audit", "--type", "imported", "--output", Path.Combine(_directory, "audit.ndjson")],
            ["verify"],
            ["erase", "jane@example.com", "--yes"],
            ["storage"],
            ["storage", "upgrade", "--format", "hashed"],
            ["lockouts", "--client", "203.0.113.9"],
            ["lockouts", "clear", "--client", "203.0.113.9", "--user", "acme-mailer"],
            ["webhooks", "list"],
            ["webhooks", "replay", "crm", "--from", "2026-12-07T10:00:00Z", "--to", "2026-12-07T12:00:00Z"],
            ["webhooks", "enable", "warehouse"],
            ["webhooks", "requeue-dead", "warehouse"],
        ];

        foreach (var command in commands)
        {
            await new CliRunner(_gateway).RunAsync(command);
        }

        var requests = _gateway.Requests.ToList();
        Assert.True(requests.Count >= commands.Length, $"only {requests.Count} requests for {commands.Length} commands");
        var problems = requests.SelectMany(request => Contract.CheckRequest(request.Method, request.RawTarget, request.ContentType, request.Body)).ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_fake_gateway_answers_as_the_contract_says_the_gateway_does()
    {
        var replies = new (string Method, string Target, string Body)[]
        {
            ("GET", "/api/v1/suppressions/jane%40example.com", FakeGateway.JaneLookup),
            ("POST", "/api/v1/erasures", _gateway.ErasureReply),
            ("GET", "/api/v1/audit/verify", _gateway.VerifyReply),
            ("POST", "/api/v1/storage/upgrade", _gateway.UpgradeReply),
            ("GET", "/api/v1/smtp/lockouts", _gateway.LockoutsReply),
            ("DELETE", "/api/v1/smtp/lockouts", _gateway.LockoutsClearedReply),
            ("GET", "/api/v1/webhooks", _gateway.WebhooksReply),
            ("POST", "/api/v1/webhooks/warehouse/enable", _gateway.WebhookEnabledReply),
            ("POST", "/api/v1/suppressions/import", _gateway.ImportReply),
        };

        var problems = replies.SelectMany(reply => Contract.CheckResponse(reply.Method, reply.Target, 200, "application/json", Encoding.UTF8.GetBytes(reply.Body))).ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}
