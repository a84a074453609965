using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Push.Testing;

namespace Push.Silo.Tests.EndToEnd;

/// <summary>
/// The web app's origin: a page and its service worker, served over plain HTTP on 127.0.0.1
/// (a secure context for Firefox, so service workers and the Push API work without TLS).
/// </summary>
internal sealed class TestSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestSite(WebApplication app, Uri uri)
    {
        _app = app;
        Uri = uri;
    }

    public Uri Uri { get; }

    /// <summary>Serves the files of <c>EndToEnd/FirefoxSite</c> (copied next to the tests).</summary>
    public static async Task<TestSite> StartAsync()
    {
        var port = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "EndToEnd", "FirefoxSite")),
        });
        await app.StartAsync();
        return new TestSite(app, new Uri($"http://127.0.0.1:{port}/index.html"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
