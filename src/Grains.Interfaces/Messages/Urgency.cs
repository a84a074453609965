namespace Push.Grains.Messages;

/// <summary>RFC 8030 §5.3 urgency, lowest first so that comparisons read naturally.</summary>
[GenerateSerializer, Alias("Push.Urgency")]
public enum Urgency : byte
{
    VeryLow = 0,
    Low = 1,
    Normal = 2,
    High = 3,
}
