using Push.Shared.Logging;

namespace Push.Shared.Tests.Logging;

/// <summary>Ids in log text become the hash a session's summary line carries; nothing else changes.</summary>
public sealed class LogRedactionTests
{
    private static readonly Guid Uaid = Guid.Parse("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9");
    private static readonly string Hashed = LogRedaction.Marker + LogIds.Hash(Uaid);

    [Theory]
    [InlineData("Response did not arrive on time for message: Request [S127.0.0.1:1]->[client/0f1e2d3c4b5a49788695a4b3c2d1e0f9]", "client/")]
    [InlineData("key push:{0F1E2D3C4B5A49788695A4B3C2D1E0F9}:q", "key push:{")]
    [InlineData("channel 0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9 removed", "channel ")]
    public void Redact_IdAnyFormatOrCase_BecomesItsHash(string text, string before)
    {
        var redacted = LogRedaction.Redact(text);

        Assert.Contains(before + Hashed, redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("0f1e2d3c", redacted, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Session uaid_hash=1a2b3c4d5e6f7a8b existing_uaid=True")]
    [InlineData("sha256 0f1e2d3c4b5a49788695a4b3c2d1e0f90f1e2d3c4b5a49788695a4b3c2d1e0f9")]
    [InlineData("key fingerprint 0a1b2c3d4e5f")]
    public void Redact_NoId_SameText(string text) => Assert.Same(text, LogRedaction.Redact(text));
}
