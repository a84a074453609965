using System.Net;
using Push.Silo.Store;
using StackExchange.Redis;

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

    [Theory]
    [InlineData("redis://user:Hunter2-store-pw@cache:6379/0", "redis://user:***@cache:6379/0")]
    [InlineData("redis://:Hunter2-store-pw@cache", "redis://:***@cache")]
    [InlineData("redis://Hunter2-store-pw@cache", "redis://***@cache")]
    [InlineData("redis://u:Hunter2@store/pw@cache", "redis://u:***@cache")]
    [InlineData("redis://cache:6379", "redis://cache:6379")]
    public void Redact_Dsn_HidesThePassword(string dsn, string expected)
    {
        Assert.Equal(expected, RedisDsn.Redact(dsn));
    }

    [Fact]
    public void TryParse_UnparseableDsnWithPassword_ErrorHidesIt()
    {
        Assert.False(RedisDsn.TryParse("redis://user:Hunter2-store-pw@", out _, out var error));

        Assert.DoesNotContain("Hunter2", error, StringComparison.Ordinal);
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

    [Fact]
    public void TryParse_AnyDsn_FailsFastInsteadOfQueueing()
    {
        Assert.True(RedisDsn.TryParse("redis://valkey:6379", out var options, out _));

        Assert.Same(BacklogPolicy.FailFast, options.BacklogPolicy);
        Assert.False(options.AbortOnConnectFail);
        Assert.Equal((int)StoreConnection.CommandTimeout.TotalMilliseconds, options.AsyncTimeout);
        Assert.IsType<LinearRetry>(options.ReconnectRetryPolicy);
    }
}
