namespace Push.Shared.Settings;

/// <summary>A raw setting value and where it came from (an environment variable or a file key).</summary>
public readonly record struct SettingValue(object Raw, string Origin);
