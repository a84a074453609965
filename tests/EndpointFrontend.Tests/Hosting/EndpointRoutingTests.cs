using System.Net;

namespace Push.EndpointFrontend.Tests.Hosting;

[Collection(EndpointHostCollection.Name)]
public sealed class EndpointRoutingTests(EndpointHostFixture fixture)
{
    private Uri Url(string path) => new(fixture.Host.EndpointUri, path);

    [Theory]
    [InlineData("nope")]
    [InlineData("wpush")]
    [InlineData("wpush/v1/a/b")]
    [InlineData("push/0123")]
    public async Task Get_UnknownPath_Is404WithEmptyBody(string path)
    {
        using var response = await fixture.Http.GetAsync(Url(path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_PushRoute_Is405()
    {
        using var response = await fixture.Http.GetAsync(Url("wpush/v1/sometoken"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Options_Preflight_AllowsAnyOriginWithTheReferenceMethods()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, Url("wpush/v1/sometoken"));
        request.Headers.Add("Origin", "https://app.example.com");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "ttl,content-encoding");

        using var response = await fixture.Http.SendAsync(request);

        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal("https://app.example.com", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", response.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        Assert.Equal("3600", response.Headers.GetValues("Access-Control-Max-Age").Single());
    }

    [Fact]
    public async Task Get_Health_ReportsTheStore()
    {
        using var response = await fixture.Http.GetAsync(Url("health"));

        var body = await response.JsonAsync();
        Assert.Equal("OK", (string)body["status"]!);
        Assert.Equal("OK", (string)body["router_table"]!["status"]!);
        Assert.Equal("OK", (string)body["message_table"]!["status"]!);
        Assert.False((bool)body["routers"]!["fcm"]!);
    }

    [Fact]
    public async Task Get_VersionAndStatus_AreJson()
    {
        using var version = await fixture.Http.GetAsync(Url("__version__"));
        using var status = await fixture.Http.GetAsync(Url("status"));

        Assert.False(string.IsNullOrEmpty((string?)(await version.JsonAsync())["version"]));
        Assert.Equal("OK", (string)(await status.JsonAsync())["status"]!);
    }
}
