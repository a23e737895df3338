using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Smtp;

/// <summary>
/// Issue 16, item 2, as a sending system meets it: right passwords are never refused because other
/// logins are being checked, a corrected password works at once, wrong ones lock the name out for a
/// lockout that grows, many names from one address meet a ceiling, and an operator can lift a lockout.
/// </summary>
public sealed class SmtpLoginLimitTests : IAsyncLifetime
{
    private const string Password = "correct horse battery staple";
    private const string ComplianceKey = "test-compliance-key-0123456789";

    private readonly TestSmtpSink _sink = new();
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("suppression-login-limits-");
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private GatewayInstance _gateway = null!;
    private string _thumbprint = string.Empty;

    public async Task InitializeAsync()
    {
        var (certificate, key, thumbprint) = StartTlsTests.WriteSelfSignedPem(_directory.FullName);
        _thumbprint = thumbprint;
        _gateway = await GatewayInstance.StartAsync(
            null,
            _sink.Port,
            new Dictionary<string, string>
            {
                ["Suppression:Smtp:CertificatePath"] = certificate,
                ["Suppression:Smtp:CertificateKeyPath"] = key,

                // Loopback is not a relay network here: the test client is "outside" and must log in.
                ["Suppression:Smtp:RelayNetworks:0"] = "192.0.2.0/24",
                ["Suppression:Smtp:MaxAuthFailures"] = "3",
                ["Suppression:Smtp:MaxAuthFailuresPerClient"] = "6",
                ["Suppression:Smtp:MaxAuthChecksPerClient"] = "2",
                ["Suppression:Compliance:ApiKeys:0"] = ComplianceKey,
                ["Suppression:Tenants:0:Id"] = "acme",
                ["Suppression:Tenants:0:SmtpUsers:0:Username"] = "acme-mailer",
                ["Suppression:Tenants:0:SmtpUsers:0:Password"] = Password,
            },
            time: _clock);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _sink.DisposeAsync();
        _directory.Delete(recursive: true);
    }

    [Fact]
    public async Task Twenty_parallel_logins_with_the_right_password_all_get_in_and_relay()
    {
        // Postfix's default_destination_concurrency_limit: 20 connections at once, each logging in.
        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(async index =>
        {
            await using var session = await LoginAsync("acme-mailer", Password);
            return session.Reply + " / " + await RelayAsync(session.Client, $"reader{index}@example.com");
        }));

        Assert.All(replies, reply => Assert.StartsWith("235 2.7.0", reply, StringComparison.Ordinal));
        Assert.All(replies, reply => Assert.Contains(" / 250 ", reply, StringComparison.Ordinal));
        Assert.Equal(20, _sink.Messages.Count);
    }

    [Fact]
    public async Task A_host_that_sent_wrong_passwords_and_then_the_right_one_relays_at_once_and_starts_afresh()
    {
        await ExpectLoginAsync("acme-mailer", "an old password", "535 5.7.8");
        await ExpectLoginAsync("acme-mailer", "another old one", "535 5.7.8");
        await using (var corrected = await LoginAsync("acme-mailer", Password))
        {
            Assert.StartsWith("235 2.7.0", corrected.Reply, StringComparison.Ordinal);
            Assert.StartsWith("250 ", await RelayAsync(corrected.Client, "reader@example.com"), StringComparison.Ordinal);
        }

        // The right password cleared the name's failures: two more typos do not lock it (the limit is 3).
        await ExpectLoginAsync("acme-mailer", "typo", "535 5.7.8");
        await ExpectLoginAsync("acme-mailer", "typo again", "535 5.7.8");
        await ExpectLoginAsync("acme-mailer", Password, "235 2.7.0");
    }

    [Fact]
    public async Task Repeated_wrong_passwords_get_454_and_the_lockout_doubles_with_each_further_failure()
    {
        for (var guess = 0; guess < 3; guess++)
        {
            await ExpectLoginAsync("acme-mailer", "guess " + guess, "535 5.7.8");
        }

        // Locked: even the right password is not checked (else the lockout would be an oracle).
        Assert.EndsWith("try again in 60 seconds", await ExpectLoginAsync("acme-mailer", Password, "454 4.7.0"), StringComparison.Ordinal);
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.EndsWith("try again in 30 seconds", await ExpectLoginAsync("acme-mailer", Password, "454 4.7.0"), StringComparison.Ordinal);

        _clock.Advance(TimeSpan.FromSeconds(30));
        await ExpectLoginAsync("acme-mailer", "guess 3", "535 5.7.8");
        Assert.EndsWith("try again in 120 seconds", await ExpectLoginAsync("acme-mailer", Password, "454 4.7.0"), StringComparison.Ordinal);

        _clock.Advance(TimeSpan.FromSeconds(120));
        await ExpectLoginAsync("acme-mailer", "guess 4", "535 5.7.8");
        Assert.EndsWith("try again in 240 seconds", await ExpectLoginAsync("acme-mailer", Password, "454 4.7.0"), StringComparison.Ordinal);

        // Once it has passed, the right password gets in.
        _clock.Advance(TimeSpan.FromSeconds(240));
        await ExpectLoginAsync("acme-mailer", Password, "235 2.7.0");
    }

    [Fact]
    public async Task Parallel_wrong_guesses_get_at_most_one_check_past_the_limit()
    {
        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(async guess =>
        {
            await using var session = await LoginAsync("acme-mailer", "parallel guess " + guess);
            return session.Reply;
        }));

        // MaxAuthFailures 3 and MaxAuthChecksPerClient 2: at most 3 + 2 - 1 passwords checked.
        Assert.InRange(replies.Count(reply => reply.StartsWith("535 ", StringComparison.Ordinal)), 3, 4);
        Assert.All(replies, reply => Assert.Matches("^(535 5.7.8|454 4.7.0) ", reply));
    }

    [Fact]
    public async Task Guessing_other_names_from_the_same_address_meets_the_address_wide_ceiling()
    {
        // Six names, one guess each: no name reaches its limit of 3, the address reaches its 6.
        for (var name = 0; name < 6; name++)
        {
            await ExpectLoginAsync("guess" + name + "@acme.example", "password", "535 5.7.8");
        }

        await ExpectLoginAsync("acme-mailer", Password, "454 4.7.0");

        // Another client address is not affected (all of 127.0.0.0/8 is this host).
        await ExpectLoginAsync("acme-mailer", Password, "235 2.7.0", IPAddress.Parse("127.0.0.2"));
    }

    [Fact]
    public async Task An_admin_lifts_a_lockout_through_the_api_and_the_corrected_sender_gets_in_at_once()
    {
        for (var guess = 0; guess < 3; guess++)
        {
            await ExpectLoginAsync("acme-mailer", "old password", "535 5.7.8");
        }

        await ExpectLoginAsync("acme-mailer", Password, "454 4.7.0");

        using var compliance = new HttpClient { BaseAddress = _gateway.Http.BaseAddress };
        compliance.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ComplianceKey);
        var listed = await compliance.GetFromJsonAsync<LockoutList>("/api/v1/smtp/lockouts?client=127.0.0.1");
        using (var refused = await compliance.DeleteAsync("/api/v1/smtp/lockouts?client=127.0.0.1"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using (var missing = await _gateway.Http.DeleteAsync("/api/v1/smtp/lockouts"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        }

        await ExpectLoginAsync("acme-mailer", Password, "454 4.7.0");
        using (var cleared = await _gateway.Http.DeleteAsync("/api/v1/smtp/lockouts?client=127.0.0.1&user=acme-mailer"))
        {
            Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
            Assert.Equal(1, (await cleared.Content.ReadFromJsonAsync<ClearedResponse>())!.Cleared);
        }

        await ExpectLoginAsync("acme-mailer", Password, "235 2.7.0");

        var user = Assert.Single(listed!.Lockouts, lockout => lockout.Username == "acme-mailer");
        Assert.Equal(("127.0.0.1", 3), (user.Client, user.Failures));
        Assert.NotNull(user.LockedUntil);
        Assert.Null(Assert.Single(listed.Lockouts, lockout => lockout.Username is null).LockedUntil);
        Assert.DoesNotContain(Password, await compliance.GetStringAsync("/api/v1/smtp/lockouts"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_lifts_a_lockout_from_the_command_line()
    {
        for (var name = 0; name < 6; name++)
        {
            await ExpectLoginAsync("guess" + name, "password", "535 5.7.8");
        }

        await ExpectLoginAsync("acme-mailer", Password, "454 4.7.0");

        var list = await RunCliAsync("lockouts");
        var clear = await RunCliAsync("lockouts", "clear", "--client", "127.0.0.1");

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("127.0.0.1", list.Output, StringComparison.Ordinal);
        Assert.Contains("guess5", list.Output, StringComparison.Ordinal);
        Assert.True(clear.ExitCode == 0, clear.ToString());
        Assert.Contains("cleared 7", clear.Output, StringComparison.Ordinal);
        await ExpectLoginAsync("acme-mailer", Password, "235 2.7.0");
    }

    private async Task<string> ExpectLoginAsync(string username, string password, string expected, IPAddress? from = null)
    {
        await using var session = await LoginAsync(username, password, from);
        Assert.StartsWith(expected + " ", session.Reply, StringComparison.Ordinal);
        return session.Reply;
    }

    // One connection per login, as a sending system opens them: STARTTLS, then AUTH PLAIN (RFC 4616).
    private async Task<LoginSession> LoginAsync(string username, string password, IPAddress? from = null)
    {
        var client = await RawSmtpClient.ConnectFromAsync(_gateway.SmtpPort, from ?? IPAddress.Loopback);
        Assert.StartsWith("220 ", await client.ReadReplyAsync());
        Assert.StartsWith("250", await client.CommandAsync("EHLO sender.test"));
        Assert.StartsWith("220", await client.CommandAsync("STARTTLS"));
        await client.UpgradeToTlsAsync(_thumbprint);
        Assert.StartsWith("250", await client.CommandAsync("EHLO sender.test"));
        var response = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0" + username + "\0" + password));
        return new LoginSession(client, await client.CommandAsync("AUTH PLAIN " + response) ?? "(closed)");
    }

    private static async Task<string?> RelayAsync(RawSmtpClient client, string recipient)
    {
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<news@acme.example>"));
        Assert.StartsWith("250", await client.CommandAsync($"RCPT TO:<{recipient}>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        return await client.CommandAsync($"Subject: hello\r\nMessage-ID: <{Guid.NewGuid():N}@acme.example>\r\n\r\nHello\r\n.");
    }

    private async Task<ProcessResult> RunCliAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "suppression.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["SUPPRESSION_URL"] = $"http://127.0.0.1:{_gateway.HttpPort}";
        start.Environment["SUPPRESSION_API_KEY"] = GatewayInstance.AdminKey;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new ProcessResult(process.ExitCode, await output, await error);
    }

    private sealed record LoginSession(RawSmtpClient Client, string Reply) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Client.DisposeAsync();
    }

    private sealed record LockoutList(IReadOnlyList<Lockout> Lockouts, bool Truncated);

    private sealed record Lockout(string Client, string? Username, int Failures, DateTimeOffset LastFailure, DateTimeOffset? LockedUntil);

    private sealed record ClearedResponse(string Client, string? User, int Cleared);

    private sealed record ProcessResult(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
    }
}
