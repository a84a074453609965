using System.Globalization;

namespace Push.Testing;

/// <summary>
/// The seed and size of a fuzz run. Fixed by default, so a run repeats exactly; <c>PUSH_FUZZ_SEED</c>
/// (an integer) picks other inputs and <c>PUSH_FUZZ_SCALE</c> (a whole factor) a longer run, whose
/// time budget grows with it. Each worker derives its own seed from this one.
/// </summary>
public sealed record FuzzRun(int Seed, int Items, TimeSpan Budget)
{
    public const string SeedVariable = "PUSH_FUZZ_SEED";
    public const string ScaleVariable = "PUSH_FUZZ_SCALE";

    public static FuzzRun FromEnvironment(int seed, int items, TimeSpan budget)
    {
        var scale = Read(ScaleVariable) ?? 1;
        if (scale < 1)
        {
            throw new InvalidOperationException($"{ScaleVariable} must be a whole number of at least 1");
        }

        return new FuzzRun(Read(SeedVariable) ?? seed, items * scale, budget * scale);
    }

    public override string ToString() => $"seed {Seed}, {Items} items wanted within {Budget.TotalSeconds:0} s";

    private static int? Read(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text
            ? int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture)
            : null;
}
