using System.Text.RegularExpressions;

namespace Push.Shared.Logging;

/// <summary>
/// Masks user and channel ids in log text. A UAID lets anyone who knows it take over the user's
/// connection (<c>hello</c>), and the runtime names grains by it (<c>client/&lt;32 hex digits&gt;</c>) in
/// its own messages and exceptions. Every run of exactly 32 hex digits and every GUID-shaped id becomes
/// <c>#</c> and the hash <see cref="LogIds.Hash"/> gives, the one a session's summary line carries, so
/// lines of one user still go together.
/// </summary>
public static partial class LogRedaction
{
    public const char Marker = '#';

    /// <summary>The text with every id replaced; the same instance when there is none.</summary>
    public static string Redact(string text) =>
        text.Length < 32 || !Ids().IsMatch(text) ? text : Ids().Replace(text, static m => Marker + LogIds.Hash(Guid.Parse(m.ValueSpan)));

    // Not inside a longer run of hex digits: a 64-digit hash is not an id.
    [GeneratedRegex("(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{32}|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})(?![0-9A-Fa-f])", RegexOptions.CultureInvariant)]
    private static partial Regex Ids();
}
