namespace Push.Testing;

/// <summary>
/// The store integration tests run against: the embedded Garnet by default, or the real Redis named by
/// <c>PUSH_TEST_REDIS</c> (e.g. <c>redis://127.0.0.1:6379</c>), which CI sets for a second run.
/// </summary>
public static class TestStore
{
    public static string? RedisDsn => Environment.GetEnvironmentVariable("PUSH_TEST_REDIS") is { Length: > 0 } dsn ? dsn : null;

    public static string Describe => RedisDsn is null ? "embedded Garnet" : $"Redis at {RedisDsn}";
}
