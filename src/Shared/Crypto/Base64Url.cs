namespace Push.Shared.Crypto;

/// <summary>Base64 helpers that accept what real clients and operators send.</summary>
public static class Base64Url
{
    /// <summary>URL-safe base64 without padding, the form used for tokens and payloads.</summary>
    public static string Encode(ReadOnlySpan<byte> data) => System.Buffers.Text.Base64Url.EncodeToString(data);

    /// <summary>Decodes URL-safe base64, with or without trailing padding. Standard-alphabet input fails.</summary>
    public static bool TryDecode(string? text, out byte[] bytes)
    {
        bytes = [];
        if (text is null)
        {
            return false;
        }

        var trimmed = text.AsSpan().TrimEnd('=');
        if (trimmed.ContainsAny('+', '/'))
        {
            return false;
        }

        var buffer = new byte[System.Buffers.Text.Base64Url.GetMaxDecodedLength(trimmed.Length)];
        var status = System.Buffers.Text.Base64Url.DecodeFromChars(trimmed, buffer, out _, out var written);
        if (status != System.Buffers.OperationStatus.Done)
        {
            return false;
        }

        bytes = written == buffer.Length ? buffer : buffer[..written];
        return true;
    }

    /// <summary>Decodes either alphabet (standard or URL-safe), padding optional.</summary>
    public static bool TryDecodeAnyAlphabet(string? text, out byte[] bytes)
    {
        bytes = [];
        if (text is null)
        {
            return false;
        }

        var normalized = text.Trim().TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return TryDecode(normalized, out bytes);
    }

    /// <summary>True when the text only uses characters of the URL-safe alphabet (plus trailing '=').</summary>
    public static bool IsUrlSafeText(ReadOnlySpan<char> text)
    {
        var body = text.TrimEnd('=');
        foreach (var c in body)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
