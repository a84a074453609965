namespace Push.LoadTool.Protocol;

/// <summary>The service answered in a way a client cannot continue from.</summary>
public sealed class ProtocolException(string message) : Exception(message);
