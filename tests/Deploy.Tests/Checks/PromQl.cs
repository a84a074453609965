using System.Text.RegularExpressions;

namespace Push.Deploy.Tests.Checks;

/// <summary>
/// Enough of PromQL to check a query against what Push serves: the series it reads, the labels it
/// names, and the selector written after each series.
/// </summary>
internal static partial class PromQl
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal) { "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset" };

    /// <summary>Every series a query reads, e.g. <c>push_errors_total</c> and <c>up</c>.</summary>
    public static IReadOnlyList<string> Series(string query) => [.. References(query).Select(r => r.Series).Distinct()];

    /// <summary>Each series the query reads, with its selector as written (empty without braces).</summary>
    public static IEnumerable<(string Series, string Selector)> References(string query)
    {
        foreach (Match m in Reference().Matches(Blank(query)))
        {
            if (!Keywords.Contains(m.Groups["name"].Value) && !m.Groups["call"].Success)
            {
                var selector = m.Groups["selector"];
                yield return (m.Groups["name"].Value, query.Substring(selector.Index, selector.Length));
            }
        }
    }

    /// <summary>Every label a query names: in selectors, and in <c>by</c>, <c>without</c>, <c>on</c> and <c>ignoring</c> lists.</summary>
    public static IReadOnlySet<string> Labels(string query)
    {
        var text = Strings().Replace(query, m => new string(' ', m.Length));
        var labels = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match selector in Selector().Matches(text))
        {
            labels.UnionWith(Matcher().Matches(selector.Groups["body"].Value).Select(m => m.Groups["label"].Value));
        }

        foreach (Match grouping in Grouping().Matches(text))
        {
            labels.UnionWith(grouping.Groups["labels"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        }

        return labels;
    }

    /// <summary>
    /// The query with strings, selector bodies, ranges and label lists blanked out (same length, so
    /// positions still point into the query): every name left is a series or a function.
    /// </summary>
    private static string Blank(string query)
    {
        var text = Strings().Replace(query, m => new string(' ', m.Length));
        text = Selector().Replace(text, m => "{" + new string(' ', m.Length - 2) + "}");
        text = Range().Replace(text, m => new string(' ', m.Length));
        return Grouping().Replace(text, m => new string(' ', m.Length));
    }

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{(?<body>[^}]*)\}")]
    private static partial Regex Selector();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Range();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\((?<labels>[^)]*)\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<label>[a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)")]
    private static partial Regex Matcher();

    /// <summary>A name not inside a number (<c>1e-9</c>) or a variable (<c>$pod</c>), then a call's parenthesis or a selector.</summary>
    [GeneratedRegex(@"(?<![\w$.])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?:(?<call>\()|(?<selector>\{[^}]*\})?)")]
    private static partial Regex Reference();
}
