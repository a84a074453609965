using System.Text.Json;

namespace Push.LoadTool.Measure;

/// <summary>
/// The last line of every run: one JSON object, snake_case, so a script can take it with
/// <c>tail -n 1</c> and figures can be pasted into the docs unchanged.
/// </summary>
public static class SummaryLine
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
    };

    public static void Write<T>(T summary) => Console.WriteLine(JsonSerializer.Serialize(summary, Options));
}
