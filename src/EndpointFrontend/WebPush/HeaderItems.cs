namespace Push.EndpointFrontend.WebPush;

/// <summary>
/// The <c>key=value</c> items of <c>Encryption</c> and <c>Crypto-Key</c>: comma-separated sections of
/// semicolon-separated items. Any item without '=' makes the whole header invalid.
/// </summary>
internal static class HeaderItems
{
    public static bool TryParse(string header, out List<KeyValuePair<string, string>> items)
    {
        items = [];
        foreach (var section in header.Split(','))
        {
            foreach (var item in section.Split(';'))
            {
                var eq = item.IndexOf('=', StringComparison.Ordinal);
                if (eq < 0)
                {
                    return false;
                }

                items.Add(new(item[..eq].Trim(), item[(eq + 1)..].Trim(' ', '"')));
            }
        }

        return true;
    }

    /// <summary>The first value of <paramref name="key"/>, or null.</summary>
    public static string? Find(string header, string key, out bool valid)
    {
        valid = TryParse(header, out var items);
        if (!valid)
        {
            return null;
        }

        foreach (var (k, v) in items)
        {
            if (k == key)
            {
                return v;
            }
        }

        return null;
    }
}
