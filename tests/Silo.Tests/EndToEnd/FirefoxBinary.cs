namespace Push.Silo.Tests.EndToEnd;

/// <summary>Where the installed Firefox is, and whether a run must have one.</summary>
internal static class FirefoxBinary
{
    /// <summary>Set (to anything but 0) by CI: there a missing Firefox fails the tests instead of skipping them.</summary>
    public const string RequireVariable = "PUSH_TEST_REQUIRE_FIREFOX";

    private static readonly Lazy<string?> Found = new(Search);

    /// <summary>The full path of <c>firefox-esr</c> (or <c>firefox</c>) on the PATH, or null.</summary>
    public static string? Path => Found.Value;

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) is { Length: > 0 } value && value != "0";

    public static string MissingMessage =>
        $"Firefox is not installed: no firefox-esr or firefox on the PATH. Install it with `apt-get install firefox-esr` ({RequireVariable} is set, so this fails instead of skipping).";

    private static string? Search()
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return new[] { "firefox-esr", "firefox" }
            .SelectMany(name => folders.Select(folder => System.IO.Path.Combine(folder, name)))
            .FirstOrDefault(File.Exists);
    }
}
