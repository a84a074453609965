using System.Net;

namespace Push.EndpointFrontend.Tests.Security;

/// <summary>
/// Internal content stays off the public ports even under path variants. (Plain <c>/metrics</c> and
/// <c>/dashboard/</c> are covered by the Silo tests' MetricsTests and DashboardTests.)
/// </summary>
[Collection(EndpointHostCollection.Name)]
public sealed class PublicPortTests(EndpointHostFixture fixture)
{
    [Theory]
    [InlineData("METRICS")]
    [InlineData("metrics/")]
    [InlineData("metrics?format=prometheus")]
    [InlineData("Dashboard/")]
    [InlineData("dashboard/DashboardCounters")]
    public async Task Get_InternalPathVariantOnPublicPorts_Is404(string path)
    {
        var ports = new[] { fixture.Host.WebSocketUri.Port, fixture.Host.EndpointUri.Port };
        foreach (var port in ports)
        {
            using var response = await fixture.Http.GetAsync(new Uri($"http://127.0.0.1:{port}/{path}"));
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"port {port} /{path}: {response.StatusCode}");
            Assert.DoesNotContain("push_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var metrics = await fixture.Http.GetAsync(new Uri(fixture.Host.InternalUri, "metrics"));
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }
}
