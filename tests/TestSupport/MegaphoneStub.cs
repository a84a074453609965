using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Push.Testing;

/// <summary>A Megaphone broadcast source on a free loopback port whose versions a test changes.</summary>
public sealed class MegaphoneStub : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MegaphoneStub(WebApplication app, int port)
    {
        _app = app;
        Url = $"http://127.0.0.1:{port}/v1/broadcasts";
    }

    public ConcurrentDictionary<string, string> Broadcasts { get; } = new();

    public string Url { get; }

    public static async Task<MegaphoneStub> StartAsync(IDictionary<string, string> initial)
    {
        var port = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var stub = new MegaphoneStub(app, port);
        foreach (var (id, version) in initial)
        {
            stub.Broadcasts[id] = version;
        }

        app.MapGet("/v1/broadcasts", () => Results.Json(new { broadcasts = stub.Broadcasts }));
        await app.StartAsync();
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
