using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium, headless, driven over the DevTools protocol (one page, one WebSocket), so a
/// test can load a page, press its buttons and read what a person would see, with the browser's own
/// HTML parsing, form submission, relative-URL resolution and Content-Security-Policy enforcement.
/// </summary>
public sealed partial class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly DirectoryInfo _profile;
    private readonly ClientWebSocket _socket;
    private int _nextId;

    private HeadlessChromium(Process process, DirectoryInfo profile, ClientWebSocket socket)
    {
        _process = process;
        _profile = profile;
        _socket = socket;
    }

    public static bool IsInstalled => File.Exists(ExecutablePath);

    public static async Task<HeadlessChromium> StartAsync()
    {
        var profile = Directory.CreateTempSubdirectory("chromium-profile-");
        var start = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--remote-debugging-port=0", "--user-data-dir=" + profile.FullName, "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);

        // Chromium announces its DevTools endpoint on stderr: "DevTools listening on ws://127.0.0.1:PORT/...".
        var port = 0;
        while (port == 0 && await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            if (DevToolsPattern().Match(line) is { Success: true } match)
            {
                port = int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        Assert.True(port != 0, "Chromium did not announce a DevTools port");
        
        // Drained, so Chromium never blocks on a full pipe.
        _ = process.StandardError.ReadToEndAsync();
        using var http = new HttpClient();
        var targets = await http.GetFromJsonAsync<JsonArray>($"http://127.0.0.1:{port}/json/list", timeout.Token);
        var page = targets!.First(target => (string?)target!["type"] == "page")!;
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), timeout.Token);
        var browser = new HeadlessChromium(process, profile, socket);
        await browser.SendAsync("Page.enable");
        await browser.SendAsync("Runtime.enable");
        return browser;
    }

    /// <summary>A phone-sized viewport (CSS pixels), as a recipient reading mail on a phone has.</summary>
    public Task UsePhoneViewportAsync() =>
        SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = 360, ["height"] = 640, ["deviceScaleFactor"] = 2, ["mobile"] = true });

    /// <summary>A window this many CSS pixels wide and high, as a desktop browser (not a phone) lays it out.</summary>
    public Task SetViewportAsync(int width, int height) =>
        SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false });

    /// <summary>The colour scheme the page is told the person prefers (prefers-color-scheme: light or dark).</summary>
    public Task SetColorSchemeAsync(string scheme) =>
        SendAsync("Emulation.setEmulatedMedia", new JsonObject { ["features"] = new JsonArray(new JsonObject { ["name"] = "prefers-color-scheme", ["value"] = scheme }) });

    /// <summary>Saves the whole page, not only the part in the window, as a PNG.</summary>
    public async Task ScreenshotAsync(string path)
    {
        // The window's width (not the content box beside the scroll bar) and the document's full height.
        var size = await EvaluateAsync("[window.innerWidth, document.documentElement.scrollHeight]");
        var clip = new JsonObject { ["x"] = 0, ["y"] = 0, ["width"] = size[0].GetInt32(), ["height"] = size[1].GetInt32(), ["scale"] = 1 };
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true, ["clip"] = clip });
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(shot.GetProperty("data").GetString()!));
    }

    /// <summary>Presses the Tab key, as a keyboard user moving to the next control does.</summary>
    public async Task PressTabAsync()
    {
        foreach (var type in new[] { "keyDown", "keyUp" })
        {
            await SendAsync("Input.dispatchKeyEvent", new JsonObject { ["type"] = type, ["key"] = "Tab", ["code"] = "Tab", ["windowsVirtualKeyCode"] = 9 });
        }
    }

    /// <summary>Types into the field whose label reads this text, as a person would (the label, not a selector, finds it).</summary>
    public async Task FillAsync(string label, string value)
    {
        var filled = await EvaluateAsync(
            $"(() => {{ const l = [...document.querySelectorAll('label')].find(l => l.textContent.trim() === {JsonSerializer.Serialize(label)}); const f = l && l.control; if (!f) return false; f.value = {JsonSerializer.Serialize(value)}; return true; }})()");
        if (!filled.GetBoolean())
        {
            Assert.Fail($"no field labelled '{label}' on the page: {await TextAsync()}");
        }
    }

    public async Task NavigateAsync(Uri url)
    {
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url.ToString() });
        await WaitUntilAsync("document.readyState === 'complete' && location.href !== 'about:blank'");
    }

    /// <summary>Presses the button with this text, as a person would, and waits for the page it leads to.</summary>
    public async Task ClickButtonAsync(string text)
    {
        var marker = "page-" + Interlocked.Increment(ref _nextId);
        await EvaluateAsync($"document.body.dataset.before = '{marker}'");
        var clicked = await EvaluateAsync(
            $"(() => {{ const b = [...document.querySelectorAll('button')].find(b => b.textContent.trim() === {JsonSerializer.Serialize(text)}); if (!b) return false; b.click(); return true; }})()");
        if (!clicked.GetBoolean())
        {
            Assert.Fail($"no button '{text}' on the page: {await TextAsync()}");
        }

        // The new document has no marker on its body.
        await WaitUntilAsync($"document.readyState === 'complete' && document.body && document.body.dataset.before !== '{marker}'");
    }

    public async Task<string> TextAsync() => (await EvaluateAsync("document.body.innerText")).GetString() ?? string.Empty;

    /// <param name="awaitPromise">When the expression is a promise, whether to wait for and return what it resolves to.</param>
    public async Task<JsonElement> EvaluateAsync(string expression, bool awaitPromise = false)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = awaitPromise });
        if (result.TryGetProperty("exceptionDetails", out var exception))
        {
            throw new InvalidOperationException("page script failed: " + exception);
        }

        return result.GetProperty("result").TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            _profile.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A helper process may still hold a file for a moment; the temp directory is reclaimed anyway.
        }
    }

    private async Task WaitUntilAsync(string condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await EvaluateAsync($"!!({condition})") is { ValueKind: JsonValueKind.True })
                {
                    return;
                }
            }
            catch (InvalidOperationException)
            {
                // The document is being replaced; ask again.
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"page never satisfied: {condition}");
    }

    private async Task<JsonElement> SendAsync(string method, JsonObject? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var request = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        using var timeout = new CancellationTokenSource(Timeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(request.ToJsonString()), WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult received;
            do
            {
                received = await _socket.ReceiveAsync(buffer, timeout.Token);
                message.Write(buffer, 0, received.Count);
            }
            while (!received.EndOfMessage);

            // Events (no id) and other replies are passed over.
            using var document = JsonDocument.Parse(message.ToArray());
            if (document.RootElement.TryGetProperty("id", out var replyId) && replyId.GetInt32() == id)
            {
                if (document.RootElement.TryGetProperty("error", out var error))
                {
                    throw new InvalidOperationException($"{method} failed: {error}");
                }

                return document.RootElement.GetProperty("result").Clone();
            }
        }
    }

    [GeneratedRegex(@"DevTools listening on ws://127\.0\.0\.1:(?<port>\d+)/")]
    private static partial Regex DevToolsPattern();
}
