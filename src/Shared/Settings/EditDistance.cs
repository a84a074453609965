namespace Push.Shared.Settings;

/// <summary>How many single-character edits turn one name into another (Levenshtein), to suggest the setting a typo meant.</summary>
public static class EditDistance
{
    public static int Between(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>
    /// Whether a name this far from a known one is likely a typo of it rather than another word: up to
    /// a third of the name's length, at least one edit.
    /// </summary>
    public static bool IsLikelyTypo(string name, int distance) => distance <= Math.Max(1, name.Length / 3);
}
