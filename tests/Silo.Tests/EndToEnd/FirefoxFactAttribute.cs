namespace Push.Silo.Tests.EndToEnd;

/// <summary>
/// A test that drives a real Firefox. Without Firefox it is reported as skipped, with the reason, so that
/// <c>dotnet test</c> runs with only the .NET SDK; where <see cref="FirefoxBinary.RequireVariable"/> is
/// set (CI) it runs anyway and fails, saying Firefox is missing.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FirefoxFactAttribute : FactAttribute
{
    public FirefoxFactAttribute()
    {
        if (FirefoxBinary.Path is null && !FirefoxBinary.Required)
        {
            Skip = $"Firefox is not installed (apt-get install firefox-esr); set {FirefoxBinary.RequireVariable}=1 to fail instead of skipping.";
        }
    }
}
