using System.Text.Json;
using Lib.Net.Http.WebPush;
using WebDriverBiDi;
using WebDriverBiDi.BrowsingContext;
using WebDriverBiDi.Script;
using WebDriverBiDi.Session;

namespace Push.Silo.Tests.EndToEnd;

/// <summary>
/// A headless Firefox whose push service is the Push under test, with the test page open, driven over
/// WebDriver BiDi. The page's functions (<c>FirefoxSite/page.js</c>) use the Push API as a web app does.
/// </summary>
internal sealed class FirefoxPushClient : IAsyncDisposable
{
    // Generous: Firefox starts slowly on a small, busy machine.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly FirefoxProcess _process;
    private readonly BiDiDriver _driver;
    private readonly string _context;

    private FirefoxPushClient(FirefoxProcess process, BiDiDriver driver, string context)
    {
        _process = process;
        _driver = driver;
        _context = context;
    }

    /// <summary>Starts Firefox on <paramref name="profileDirectory"/> (kept between launches) and opens <paramref name="site"/>.</summary>
    public static async Task<FirefoxPushClient> LaunchAsync(Uri pushWebSocket, string profileDirectory, Uri site)
    {
        var process = await FirefoxProcess.StartAsync(profileDirectory, PushPreferences(pushWebSocket), StartTimeout);
        var driver = new BiDiDriver(CommandTimeout);
        try
        {
            await driver.StartAsync(new Uri(process.BiDiUri, "session").ToString());
            await driver.Session.NewSessionAsync(new NewCommandParameters());
            var tree = await driver.BrowsingContext.GetTreeAsync(new GetTreeCommandParameters());
            var context = tree.ContextTree[0].BrowsingContextId;
            await driver.BrowsingContext.NavigateAsync(new NavigateCommandParameters(context, site.ToString()) { Wait = ReadinessState.Complete }, StartTimeout);
            return new FirefoxPushClient(process, driver, context);
        }
        catch
        {
            await driver.DisposeAsync();
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary><c>pushManager.subscribe</c> with the application server's key, as a sender library takes it.</summary>
    public async Task<PushSubscription> SubscribeAsync(string vapidPublicKey)
    {
        var json = await CallAsync("subscribe", vapidPublicKey);
        var subscription = new PushSubscription { Endpoint = json.GetProperty("endpoint").GetString() };
        var keys = json.GetProperty("keys");
        subscription.SetKey(PushEncryptionKeyName.P256DH, keys.GetProperty("p256dh").GetString());
        subscription.SetKey(PushEncryptionKeyName.Auth, keys.GetProperty("auth").GetString());
        return subscription;
    }

    /// <summary>The endpoint Firefox holds for the page's subscription, or null.</summary>
    public async Task<string?> EndpointAsync() => (await CallAsync("endpoint")).GetString();

    /// <summary>Every payload the service worker received and Firefox decrypted, oldest first.</summary>
    public async Task<IReadOnlyList<byte[]>> ReceivedAsync() =>
        [.. (await CallAsync("received")).EnumerateArray().Select(p => Push.Testing.PushHttp.FromBase64Url(p.GetString()!))];

    public async Task<bool> UnsubscribeAsync() => (await CallAsync("unsubscribe")).GetBoolean();

    /// <summary>Quits Firefox as a user would; its profile (UAID, subscriptions, worker) stays on disk.</summary>
    public async Task CloseAsync()
    {
        await _driver.Browser.CloseAsync(new WebDriverBiDi.Browser.CloseCommandParameters());
        await _process.WaitForExitAsync(CommandTimeout);
    }

    public async ValueTask DisposeAsync()
    {
        await _driver.DisposeAsync();
        await _process.DisposeAsync();
    }

    /// <summary>Calls <c>window.pushTest[name]</c> in the page, awaits it, and returns its result as JSON.</summary>
    private async Task<JsonElement> CallAsync(string name, params string[] arguments)
    {
        var call = new CallFunctionCommandParameters(
            $"async (...args) => JSON.stringify(await window.pushTest.{name}(...args))", new ContextTarget(_context), true);
        foreach (var argument in arguments)
        {
            call.Arguments.Add(LocalValue.String(argument));
        }

        var result = await _driver.Script.CallFunctionAsync(call);
        return result switch
        {
            EvaluateResultSuccess { Result: StringRemoteValue json } => JsonDocument.Parse(json.Value).RootElement.Clone(),
            EvaluateResultException failed => throw new InvalidOperationException($"pushTest.{name} failed in Firefox: {failed.ExceptionDetails.Text}\n{_process.Output}"),
            _ => throw new InvalidOperationException($"pushTest.{name} returned {result}"),
        };
    }

    private static Dictionary<string, object> PushPreferences(Uri pushWebSocket) => new()
    {
        ["dom.push.enabled"] = true,
        ["dom.push.connection.enabled"] = true,
        ["dom.push.serverURL"] = pushWebSocket.ToString(),
        // Without it Firefox talks only to wss:// push servers.
        ["dom.push.testing.allowInsecureServerURL"] = true,
        // Subscribing needs the notification permission; there is nobody to click "Allow".
        ["dom.push.testing.ignorePermission"] = true,
        ["permissions.default.desktop-notification"] = 1,
        ["dom.serviceWorkers.enabled"] = true,
        ["dom.serviceWorkers.testing.enabled"] = true,
    };
}
