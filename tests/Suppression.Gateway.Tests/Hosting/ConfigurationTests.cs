using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Suppression.Gateway.Configuration;
using Suppression.Gateway.Hosting;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Hosting;

/// <summary>Invalid values stop start-up with one line that names the key (docs/design.md, configuration).</summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("--Suppression:Smtp:Port=70000", "Suppression:Smtp:Port")]
    [InlineData("--Suppression:Smtp:Port=abc", "Suppression:Smtp:Port")]
    [InlineData("--Suppression:Smtp:RelayNetworks:0=not-a-network", "Suppression:Smtp:RelayNetworks")]
    [InlineData("--Suppression:Smtp:BlockedRecipient=Maybe", "Suppression:Smtp:BlockedRecipient")]
    [InlineData("--Suppression:Upstream:Port=0", "Suppression:Upstream:Port")]
    [InlineData("--Suppression:Upstream:CircuitFailureRatio=1.5", "Suppression:Upstream:CircuitFailureRatio")]
    [InlineData("--Suppression:Upstream:CircuitMinimumThroughput=1", "Suppression:Upstream:CircuitMinimumThroughput")]
    [InlineData("--Suppression:NewStoreFormat=Text", "Suppression:NewStoreFormat")]
    [InlineData("--Suppression:NewStoreFormat=tiny", "Suppression:NewStoreFormat")]
    [InlineData("--Suppression:RedisResilience:LookupTimeout=00:05:00", "Suppression:RedisResilience:LookupTimeout")]
    [InlineData("--Suppression:RedisResilience:AttemptTimeout=00:00:05", "Suppression:RedisResilience:AttemptTimeout")]
    [InlineData("--Suppression:RedisResilience:BreakDuration=soon", "Suppression:RedisResilience:BreakDuration")]
    [InlineData("--Suppression:RedisResilience:Retries=3", "Suppression:RedisResilience:Retries")]
    [InlineData("--Suppression:Smtp:MinDataBytesPerSecond=0", "Suppression:Smtp:MinDataBytesPerSecond")]
    [InlineData("--Suppression:Smtp:MaxJunkCommands=0", "Suppression:Smtp:MaxJunkCommands")]
    [InlineData("--Suppression:Smtp:MaxSessionsPerClient=0", "Suppression:Smtp:MaxSessionsPerClient")]
    [InlineData("--Suppression:Smtp:MaxStrangerSessions=201", "Suppression:Smtp:MaxStrangerSessions")]
    [InlineData("--Suppression:Smtp:MaxHeaderBytes=10", "Suppression:Smtp:MaxHeaderBytes")]
    [InlineData("--Suppression:Smtp:MaxHeaderFieldBytes=999", "Suppression:Smtp:MaxHeaderFieldBytes")]
    [InlineData("--Suppression:Smtp:MaxLocalMailboxBytes=0", "Suppression:Smtp:MaxLocalMailboxBytes")]
    [InlineData("--Suppression:Smtp:MaxLocalMailboxParts=0", "Suppression:Smtp:MaxLocalMailboxParts")]
    [InlineData("--Suppression:Smtp:MaxConcurrentLocalMail=0", "Suppression:Smtp:MaxConcurrentLocalMail")]
    [InlineData("--Suppression:Feedback:MaxReportRecipients=0", "Suppression:Feedback:MaxReportRecipients")]
    [InlineData("--Suppression:Feedback:MaxKeptPerSource=0", "Suppression:Feedback:MaxKeptPerSource")]
    [InlineData("--Suppression:Feedback:KeptPerSourceWindow=00:00:01", "Suppression:Feedback:KeptPerSourceWindow")]
    [InlineData("--Suppression:Feedback:ReturnPathDomain=bounces example.com", "Suppression:Feedback:ReturnPathDomain")]
    [InlineData("--Suppression:Feedback:ReturnPathValidity=12:00:00", "Suppression:Feedback:ReturnPathValidity")]
    [InlineData("--Suppression:Feedback:Unauthenticated=Trust", "Suppression:Feedback:Unauthenticated")]
    [InlineData("--Suppression:Feedback:ReviewRetention=01:00:00", "Suppression:Feedback:ReviewRetention")]
    [InlineData("--Suppression:PublicBaseUrl=ftp://x", "Suppression:PublicBaseUrl")]
    [InlineData("--Suppression:Admin:ApiKeys:0=short", "Suppression:Admin:ApiKeys")]
    [InlineData("--Suppression:Smtp:CertificatePath=/nonexistent.pem", "Suppression:Smtp:CertificatePath")]
    [InlineData("--Suppression:Smtp:Prot=25", "Suppression:Smtp:Prot")]
    [InlineData("--urls=https://127.0.0.1:1", "urls")]
    [InlineData("--Suppression:Tokens:Keys:0=not base64!", "Suppression:Tokens:Keys:0")]
    [InlineData("--Suppression:Tokens:Lifetime=10.00:00:00", "Suppression:Tokens:Lifetime")]
    [InlineData("--Suppression:Tokens:Kees:0=1:x", "Suppression:Tokens:Kees")]
    [InlineData("--Suppression:Unsubscribe:RequestsPerMinute=0", "Suppression:Unsubscribe:RequestsPerMinute")]
    [InlineData("--Suppression:Unsubscribe:RequestsPerLinkPerMinute=0", "Suppression:Unsubscribe:RequestsPerLinkPerMinute")]
    [InlineData("--Suppression:Unsubscribe:RequestsPerRecipientPerMinute=0", "Suppression:Unsubscribe:RequestsPerRecipientPerMinute")]
    [InlineData("--Suppression:Http:KnownProxies:0=10.0.0.0/8", "Suppression:Http:KnownProxies")]
    [InlineData("--Suppression:Http:KnownProxies:0=proxy.internal", "Suppression:Http:KnownProxies")]
    [InlineData("--Suppression:Http:KnownNetworks:0=10.0.0.1", "Suppression:Http:KnownNetworks")]
    [InlineData("--Suppression:Http:KnownNetworks:0=10.0.0.0/33", "Suppression:Http:KnownNetworks")]
    [InlineData("--Suppression:Http:KnownProxys:0=10.0.0.1", "Suppression:Http:KnownProxys")]
    [InlineData("--FORWARDEDHEADERS_ENABLED=true", "ASPNETCORE_FORWARDEDHEADERS_ENABLED")]
    [InlineData("--Suppression:Unsubscribe:MailtoAddress=not an address", "Suppression:Unsubscribe:MailtoAddress")]
    [InlineData("--Suppression:Unsubscribe:SenderHeaders=Merge", "Suppression:Unsubscribe:SenderHeaders")]
    [InlineData("--Suppression:Unsubscribe:UndoWindow=-00:01:00", "Suppression:Unsubscribe:UndoWindow")]
    [InlineData("--Suppression:Dkim:Signers:0:Selectr=s1", "Suppression:Dkim:Signers:N:Selectr")]
    [InlineData("--Suppression:Tenants:0:Id=not valid", "Suppression:Tenants:0:Id")]
    [InlineData("--Suppression:Tenants:0:Nam=acme", "Suppression:Tenants:N:Nam")]
    [InlineData("--Suppression:Smtp:MaxAuthFailures=0", "Suppression:Smtp:MaxAuthFailures")]
    [InlineData("--Suppression:Smtp:MaxAuthFailuresPerClient=4", "Suppression:Smtp:MaxAuthFailuresPerClient")]
    [InlineData("--Suppression:Smtp:AuthLockout=00:00:00", "Suppression:Smtp:AuthLockout")]
    [InlineData("--Suppression:Smtp:MaxAuthLockout=00:00:30", "Suppression:Smtp:MaxAuthLockout")]
    [InlineData("--Suppression:Smtp:MaxAuthChecksPerClient=0", "Suppression:Smtp:MaxAuthChecksPerClient")]
    [InlineData("--Suppression:Metrics:ApiKeys:0=short", "Suppression:Metrics:ApiKeys")]
    [InlineData("--Suppression:Metrics:Prometheus=maybe", "Suppression:Metrics:Prometheus")]
    [InlineData("--Suppression:Metrics:ApiKey=metrics-key-0123456789", "Suppression:Metrics:ApiKey")]
    [InlineData("--Suppression:Addresses:TagDelimiters=.", "Suppression:Addresses:TagDelimiters")]
    [InlineData("--Suppression:Addresses:TagDelimiters=", "Suppression:Addresses:TagDelimiters")]
    [InlineData("--Suppression:Addresses:TagDelimiters=+ ", "Suppression:Addresses:TagDelimiters")]
    [InlineData("--Suppression:Addresses:TagDelimiter=+-", "Suppression:Addresses:TagDelimiter")]
    [InlineData("--Suppression:Feedback:Providers:0:Name=mailchimp", "Suppression:Feedback:Providers:0:Name")]
    [InlineData("--Suppression:Feedback:Providers:0:Name=mailgun", "Suppression:Feedback:Providers:0:SigningKey")]
    public void Bad_setting_stops_start_up_with_one_line_naming_the_key(string argument, string key)
    {
        var error = Assert.Throws<GatewayConfigurationException>(() => GatewayHost.Build(Arguments(argument)));

        var line = Assert.Single(error.Errors);
        Assert.Contains(key, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public void Token_key_of_the_wrong_size_is_named_by_position_and_never_quoted()
    {
        var secret = Convert.ToBase64String(new byte[16]);

        var error = Assert.Throws<GatewayConfigurationException>(() => GatewayHost.Build(Arguments($"--Suppression:Tokens:Keys:0=1:{secret}")));

        var line = Assert.Single(error.Errors);
        Assert.StartsWith("Suppression:Tokens:Keys:0 ", line, StringComparison.Ordinal);
        Assert.Contains("32 bytes", line, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Domain", "not a domain", "is not a domain name")]
    [InlineData("Selector", "bad_selector", "is not a selector")]
    [InlineData("PrivateKeyFile", "/nonexistent.pem", "does not exist")]
    [InlineData("Tenants:0", "ghost", "'ghost' is not a configured tenant")]
    public void Bad_dkim_signer_setting_is_one_line_naming_the_signer_and_field(string field, string value, string problem)
    {
        var keyFile = Path.GetTempFileName();
        try
        {
            using (var rsa = System.Security.Cryptography.RSA.Create(2048))
            {
                File.WriteAllText(keyFile, rsa.ExportRSAPrivateKeyPem());
            }

            var signer = new Dictionary<string, string> { ["Domain"] = "example.com", ["Selector"] = "s1", ["PrivateKeyFile"] = keyFile };
            signer[field] = value;

            var error = Assert.Throws<GatewayConfigurationException>(() => GatewayHost.Build(Arguments(
                [.. signer.Select(setting => $"--Suppression:Dkim:Signers:0:{setting.Key}={setting.Value}")])));

            var line = Assert.Single(error.Errors);
            Assert.StartsWith($"Suppression:Dkim:Signers:0:{field}: ", line, StringComparison.Ordinal);
            Assert.Contains(problem, line, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    [Theory]
    [InlineData("Password", "short", "Suppression:Tenants:0:SmtpUsers:0:Password: must be at least 12 characters")]
    [InlineData("PasswordHash", "md5$abc", "Suppression:Tenants:0:SmtpUsers:0:PasswordHash: must be pbkdf2-sha256$")]
    public void Bad_smtp_user_is_named_and_its_secret_never_quoted(string field, string secret, string expected)
    {
        var error = Assert.Throws<GatewayConfigurationException>(() => GatewayHost.Build(Arguments(
            "--Suppression:Tenants:0:Id=acme",
            "--Suppression:Tenants:0:SmtpUsers:0:Username=mailer",
            $"--Suppression:Tenants:0:SmtpUsers:0:{field}={secret}")));

        var line = Assert.Single(error.Errors);
        Assert.StartsWith(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, line[expected.Length..], StringComparison.Ordinal);
    }

    [Fact]
    public void A_tenant_whose_default_class_is_transactional_without_the_permission_stops_start_up()
    {
        var error = Assert.Throws<GatewayConfigurationException>(() => GatewayHost.Build(Arguments(
            "--Suppression:Tenants:0:Id=bank",
            "--Suppression:Tenants:0:DefaultClass=Transactional")));

        var line = Assert.Single(error.Errors);
        Assert.StartsWith("Suppression:Tenants:0:DefaultClass: ", line, StringComparison.Ordinal);
        Assert.Contains("Suppression:Tenants:0:AllowTransactional", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Deals", "Suppression:Tenants:0:Topics:1:Id: 'Deals' is not a topic")]
    [InlineData("has space", "Suppression:Tenants:0:Topics:1:Id: 'has space' is not a topic")]
    [InlineData("weekly", "Suppression:Tenants:0:Topics:1:Id: 'weekly' is already Suppression:Tenants:0:Topics:0")]
    public void A_tenants_bad_or_repeated_topic_stops_start_up_with_one_line_naming_it(string topic, string expected)
    {
        var error = Assert.Throws<GatewayConfigurationException>(() => GatewayHost.Build(Arguments(
            "--Suppression:Tenants:0:Id=club",
            "--Suppression:Tenants:0:Topics:0:Id=weekly",
            $"--Suppression:Tenants:0:Topics:1:Id={topic}")));

        Assert.StartsWith(expected, Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a:b:c:d:SenderId", "must be 1 to 4 non-empty fields")]
    [InlineData("campaign::SenderId", "must be 1 to 4 non-empty fields")]
    [InlineData("campaign:SenderId:", "must be 1 to 4 non-empty fields")]
    [InlineData("spring sale:SenderId", "must be 1-128 printable ASCII characters without spaces")]
    [InlineData("fr\u00fchling:SenderId", "must be 1-128 printable ASCII characters without spaces")]
    [InlineData("SenderIdSenderIdSenderIdSenderIdSenderIdSenderIdSenderIdSenderIdSenderIdSenderIdSenderIdSenderIdSenderIdSenderIdSenderIdSenderId1", "must be 1-128")]
    public void A_tenants_bad_feedback_id_stops_start_up_with_one_line_naming_the_key(string feedbackId, string expected)
    {
        var error = Assert.Throws<GatewayConfigurationException>(() => GatewayHost.Build(Arguments(
            "--Suppression:Tenants:0:Id=acme",
            $"--Suppression:Tenants:0:FeedbackId={feedbackId}")));

        var line = Assert.Single(error.Errors);
        Assert.StartsWith("Suppression:Tenants:0:FeedbackId: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_bad_settings_give_one_line_each()
    {
        var error = Assert.Throws<GatewayConfigurationException>(() => GatewayHost.Build(Arguments(
            "--Suppression:Smtp:Port=70000",
            "--Suppression:Upstream:Port=0",
            "--Suppression:PublicBaseUrl=ftp://x",
            "--Suppression:Admin:ApiKeys:0=short",
            "--urls=https://127.0.0.1:1")));

        Assert.Equal(5, error.Errors.Count);
        Assert.Single(error.Errors, line => line.StartsWith("Suppression:Smtp:Port:", StringComparison.Ordinal));
        Assert.Single(error.Errors, line => line.StartsWith("Suppression:Upstream:Port:", StringComparison.Ordinal));
        Assert.Single(error.Errors, line => line.StartsWith("Suppression:PublicBaseUrl:", StringComparison.Ordinal));
        Assert.Single(error.Errors, line => line.StartsWith("Suppression:Admin:ApiKeys:", StringComparison.Ordinal));
        Assert.Single(error.Errors, line => line.StartsWith("urls:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Gateway_process_with_a_bad_setting_exits_2_with_one_configuration_error_line_on_stderr()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "suppression-config-" + Guid.NewGuid().ToString("N"));
        using var process = Process.Start(GatewayProcess("--Suppression:Smtp:Port=abc", $"--Suppression:DataDirectory={dataDirectory}"))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                Assert.Fail("the gateway did not exit within 30 s");
            }
        }

        var lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, process.ExitCode);
        var line = Assert.Single(lines);
        Assert.StartsWith("configuration error: ", line, StringComparison.Ordinal);
        Assert.Contains("Suppression:Smtp:Port", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", await stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dataDirectory), "a refused configuration must not create the data directory");
    }

    [Theory]
    [InlineData("http://127.0.0.1:9123", null, "http://127.0.0.1:9123")]
    [InlineData("http://0.0.0.0:8081;http://127.0.0.1:9000", null, "http://127.0.0.1:8081")]
    [InlineData("http://127.0.0.1:9123", "https://mail.example.com/unsub", "https://mail.example.com/unsub")]
    public async Task Unsubscribe_links_point_where_the_gateway_listens_unless_a_public_base_url_is_set(string urls, string? configured, string expected)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("suppression-config-").FullName;
        string[] arguments =
        [
            "--hostBuilder:reloadConfigOnChange=false",
            $"--Suppression:DataDirectory={dataDirectory}",
            $"--urls={urls}",
            .. configured is null ? Array.Empty<string>() : [$"--Suppression:PublicBaseUrl={configured}"],
        ];
        try
        {
            await using var app = GatewayHost.Build(arguments);

            Assert.Equal(expected, app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.PublicBaseUrl);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Gateway_process_started_with_urls_logs_no_warning_that_they_are_overridden()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("suppression-config-").FullName;
        var httpPort = FreePort.Next();
        var output = new System.Text.StringBuilder();
        using var process = Process.Start(GatewayProcess(
            $"--urls=http://127.0.0.1:{httpPort}", $"--Suppression:Smtp:Port={FreePort.Next()}", $"--Suppression:DataDirectory={dataDirectory}"))!;
        var ready = new TaskCompletionSource();
        process.OutputDataReceived += (_, line) =>
        {
            lock (output)
            {
                output.AppendLine(line.Data);
            }

            if (line.Data?.Contains("Suppression Gateway ready", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, line) =>
        {
            lock (output)
            {
                output.AppendLine(line.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Directory.Delete(dataDirectory, recursive: true);
        }

        lock (output)
        {
            Assert.DoesNotContain("Overriding", output.ToString(), StringComparison.Ordinal);
            Assert.Contains($"Now listening on: http://127.0.0.1:{httpPort}", output.ToString(), StringComparison.Ordinal);
        }
    }

    // The gateway as its own process, as an operator starts it, with both output streams read by the test.
    private static ProcessStartInfo GatewayProcess(params string[] arguments)
    {
        var gatewayDll = typeof(GatewayProgram).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(gatewayDll),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(gatewayDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    [Theory]
    [InlineData("Suppression:Tenants:0:ApiKeys:0", "short", "Suppression:Tenants:0:ApiKeys: each key must be at least 16 characters")]
    [InlineData("Suppression:Tenants:0:ApiKeys:0", "sha256:abc", "Suppression:Tenants:0:ApiKeys: each key must be at least 16 characters")]
    [InlineData("Suppression:Tenants:1:ApiKeys:0", "shared-key-0123456789",
        "Suppression:Tenants:1:ApiKeys:0: the same key as Suppression:Tenants:0:ApiKeys:0")]
    [InlineData("Suppression:Admin:ApiKeys:0", "shared-key-0123456789",
        "Suppression:Tenants:0:ApiKeys:0: the same key as Suppression:Admin:ApiKeys:0")]
    [InlineData("Suppression:Compliance:ApiKeys:0", "sha256:e53062111b3d919c354e5fa59cc705ca9b18213533827b1c13734b6c1ee19b9f",
        "Suppression:Tenants:0:ApiKeys:1: the same key as Suppression:Compliance:ApiKeys:0")]
    [InlineData("Suppression:Tenants:0:ApiKeys:1", "shared-key-0123456789",
        "Suppression:Tenants:0:ApiKeys:1: the same key as Suppression:Tenants:0:ApiKeys:0")]
    public void Bad_or_repeated_tenant_api_key_stops_start_up_with_one_line_naming_the_key_and_never_the_key(string key, string value, string expected)
    {
        // Tenant 0 holds shared-key-0123456789, and as ApiKeys:1 (unless the case sets it) the clear key whose SHA-256 the compliance case names.
        string[] tenants =
        [
            "--Suppression:Tenants:0:Id=acme",
            "--Suppression:Tenants:0:ApiKeys:0=shared-key-0123456789",
            "--Suppression:Tenants:1:Id=globex",
        ];
        var settings = key == "Suppression:Compliance:ApiKeys:0"
            ? [.. tenants, "--Suppression:Tenants:0:ApiKeys:1=" + ClearKeyOf(value), $"--{key}={value}"]
            : tenants.Append($"--{key}={value}").ToArray();

        var error = Assert.Throws<GatewayConfigurationException>(() => GatewayHost.Build(Arguments(settings)));

        var line = Assert.Single(error.Errors);
        Assert.StartsWith(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("shared-key", line, StringComparison.Ordinal);
    }

    // The compliance case configures the digest of this clear key: a key and its sha256: form are one key.
    private static string ClearKeyOf(string digestSetting)
    {
        const string Clear = "compliance-and-tenant-key";
        Assert.Equal(digestSetting, "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Clear))));
        return Clear;
    }

    private static string[] Arguments(params string[] bad) =>
    [
        // No file watcher for appsettings.json: the builders these tests make are never disposed.
        "--hostBuilder:reloadConfigOnChange=false",
        $"--Suppression:DataDirectory={Path.Combine(Path.GetTempPath(), "suppression-config-unused")}",
        .. bad,
    ];
}
