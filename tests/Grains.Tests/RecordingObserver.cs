using System.Collections.Concurrent;
using Push.Grains.Messages;
using Push.Grains.Observers;

namespace Push.Grains.Tests;

/// <summary>A session stand-in that records what its grain tells it.</summary>
internal sealed class RecordingObserver : IClientObserver
{
    public ConcurrentQueue<Notification> Delivered { get; } = new();

    public ConcurrentQueue<DisconnectReason> Disconnects { get; } = new();

    public Task DeliverAsync(Notification notification)
    {
        Delivered.Enqueue(notification);
        return Task.CompletedTask;
    }

    public Task DisconnectAsync(DisconnectReason reason)
    {
        Disconnects.Enqueue(reason);
        return Task.CompletedTask;
    }
}
