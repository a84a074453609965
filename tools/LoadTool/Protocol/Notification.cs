namespace Push.LoadTool.Protocol;

/// <summary>A notification as received, with the tool's clock reading at its arrival.</summary>
public sealed record Notification(string ChannelId, string Version, string? Data, long ReceivedTimestamp);
