namespace Push.Shared.Settings;

/// <summary>A setting has a value Push cannot use. The message is one line naming the setting.</summary>
public sealed class SettingsException : Exception
{
    public SettingsException(string message)
        : base(message) => Problems = [message];

    /// <summary>Several problems at once: the message joins them on one line.</summary>
    public SettingsException(string message, IReadOnlyList<string> problems)
        : base(message) => Problems = problems;

    /// <summary>Each problem alone (a line each for <c>check</c>).</summary>
    public IReadOnlyList<string> Problems { get; }
}
