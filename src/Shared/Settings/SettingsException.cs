namespace Push.Shared.Settings;

/// <summary>A setting has a value Push cannot use. The message is one line naming the setting.</summary>
public sealed class SettingsException(string message) : Exception(message);
