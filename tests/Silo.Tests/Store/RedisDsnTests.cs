using System.Net;
using Push.Silo.Store;

namespace Push.Silo.Tests.Store;

public sealed class RedisDsnTests
{
    [Fact]
    public void TryParse_PlainRedis_HostPortNoTls()
    {
        Assert.True(RedisDsn.TryParse("redis://valkey:6379", out var options, out _));

        Assert.Equal(new DnsEndPoint("valkey", 6379), options.EndPoints.Single());
        Assert.False(options.Ssl);
        Assert.Null(options.Password);
    }

    [Fact]
    public void TryParse_TlsWithPasswordAndDatabase()
    {
        Assert.True(RedisDsn.TryParse("rediss://user:p%40ss@cache.example.com:6380/2", out var options, out _));

        Assert.True(options.Ssl);
        Assert.Equal("user", options.User);
        Assert.Equal("p@ss", options.Password);
        Assert.Equal(2, options.DefaultDatabase);
        Assert.Equal(new DnsEndPoint("cache.example.com", 6380), options.EndPoints.Single());
    }

    [Fact]
    public void TryParse_PlaceholderPassword_IsRefused()
    {
        Assert.False(RedisDsn.TryParse("redis://:[REDIS_PASSWORD]@redis:6379", out _, out var error));

        Assert.Contains("placeholder", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_NoPort_DefaultsTo6379()
    {
        Assert.True(RedisDsn.TryParse("redis://localhost", out var options, out _));

        Assert.Equal(new DnsEndPoint("localhost", 6379), options.EndPoints.Single());
    }

    [Theory]
    [InlineData("grpc://localhost:8086", "not supported")]
    [InlineData("postgres://db/push", "not supported")]
    [InlineData("valkey", "not a URL")]
    [InlineData("redis://host:6379/zero", "not a database number")]
    public void TryParse_Unsupported_SaysWhy(string dsn, string expected)
    {
        Assert.False(RedisDsn.TryParse(dsn, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
