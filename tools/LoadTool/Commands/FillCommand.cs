using Push.LoadTool.Cli;
using Push.LoadTool.Http;
using Push.LoadTool.Measure;

namespace Push.LoadTool.Commands;

/// <summary>What offline users and their stored messages cost the store: fills it and reads its memory.</summary>
public sealed class FillCommand : ILoadCommand
{
    public string Name => "fill";

    public string Summary => "U users register and go offline, K messages are stored for each; store memory per user and per message";

    public string Usage => $"""
        usage: Push.LoadTool fill [options]

        --users users each connect, say hello, register one channel and close their socket. Then
        --messages messages of --size bytes are POSTed to each (TTL: 60, by --senders at once) and
        stay stored: nobody is connected to receive them, and nothing is removed when the command
        ends. With --store-info, the Redis-protocol store's used_memory is read before, after the
        users registered and after the messages were stored, and reported per user and per message
        (the difference of the whole store's memory, so run it on a store nothing else writes to).
        Keep --messages at or below the service's msg_limit (default 1000) and the run well within
        the TTL (60 s), or messages are evicted or expire before they are counted.

        options:
          --users N           offline users                                          [100]
          --messages K        messages stored for each                               [100]
          --size BYTES        body size                                              [1024]
          --senders N         POSTs in flight at once                                [16]
          --store-info H:P    the store (loopback) whose memory to read, e.g. 127.0.0.1:6379
        {Target.Help}
        """;

    public async Task<int> RunAsync(Arguments args, CancellationToken cancel)
    {
        var target = Target.From(args);
        var users = args.Number("users", 100, 1, 100_000);
        var messages = args.Number("messages", 100, 0, 100_000);
        var size = args.Number("size", 1024, 0, 1 << 20);
        var senders = args.Number("senders", 16, 1, 1024);
        var store = StoreInfo.From(args.Text("store-info"));
        args.ThrowIfUnknown();

        var empty = await store.ReadFieldsAsync(cancel);
        var offline = new List<OfflineUser>(users);
        for (var i = 0; i < users && !cancel.IsCancellationRequested; i++)
        {
            offline.Add(await OfflineUser.CreateAsync(target, cancel));
        }

        var registered = await store.ReadFieldsAsync(cancel);
        Console.WriteLine($"{offline.Count} users registered and offline");

        using var sender = new PushSender(senders);
        var body = Payload.Random(size);
        var (counts, elapsed) = await CountPhase.RunAsync(
            (long)offline.Count * messages, senders, i => sender.PushAsync(offline[(int)(i % offline.Count)].PushUrl, body, CancellationToken.None), cancel);
        var filled = await store.ReadFieldsAsync(cancel);
        Console.WriteLine($"stored {counts.Accepted} messages in {elapsed.TotalSeconds:F1} s; errors {counts.Errors}");

        long? Memory(IReadOnlyDictionary<string, string>? fields) => StoreInfo.Field(fields, "used_memory");
        double? Per(long? after, long? before, long count) => after is { } a && before is { } b && count > 0 ? Math.Round((double)(a - b) / count) : null;
        var perUser = Per(Memory(registered), Memory(empty), offline.Count);
        var perMessage = Per(Memory(filled), Memory(registered), counts.Accepted);
        if (store.Enabled)
        {
            Console.WriteLine($"store memory: {perUser} bytes per registered user, {perMessage} bytes per stored message ({size}-byte bodies)");
        }

        SummaryLine.Write(new FillSummary(
            "fill", offline.Count, messages, size, counts.Accepted, counts.ErrorsByStatus(), Memory(empty), Memory(registered), Memory(filled),
            perUser, perMessage));
        return counts.Errors == 0 ? 0 : 1;
    }

    private sealed record FillSummary(
        string Command, int Users, int MessagesPerUser, int BodyBytes, long Stored, IReadOnlyDictionary<string, long> Errors,
        long? StoreMemoryEmpty, long? StoreMemoryRegistered, long? StoreMemoryFilled, double? StoreBytesPerUser, double? StoreBytesPerMessage);
}
