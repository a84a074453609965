using Push.Grains.Messages;

namespace Push.Shared.Protocol;

/// <summary>
/// The RFC 8030 urgency words (<c>very-low</c>, <c>low</c>, <c>normal</c>, <c>high</c>), as an app server
/// sends them in the <c>Urgency</c> header and a client in its <c>urgency</c> message.
/// </summary>
public static class UrgencyText
{
    public static bool TryParse(string? text, out Urgency urgency)
    {
        (var ok, urgency) = text?.Trim().ToLowerInvariant() switch
        {
            "very-low" => (true, Urgency.VeryLow),
            "low" => (true, Urgency.Low),
            "normal" => (true, Urgency.Normal),
            "high" => (true, Urgency.High),
            _ => (false, Urgency.Normal),
        };
        return ok;
    }
}
