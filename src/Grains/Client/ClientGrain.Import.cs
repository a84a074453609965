using Push.Grains.Messages;

namespace Push.Grains.Client;

internal sealed partial class ClientGrain
{
    public async Task<ImportResult> ImportAsync(ImportedUser user)
    {
        if (state.State.Exists)
        {
            // Whatever Push holds is newer than the import: acked messages must not come back.
            return new ImportResult(ImportOutcome.AlreadyPresent, 0, 0, 0);
        }

        // Channels and messages first, the record last: until the record is written the user does not
        // exist for Push, and a re-run repeats these writes harmlessly.
        var channels = user.Channels.Distinct().Take(_options.ChannelLimit).ToHashSet();
        if (channels.Count > 0)
        {
            await store.AddChannelsAsync(Uaid, channels, _options.UserExpiry);
        }

        var messages = user.Messages.Where(m => channels.Contains(m.ChannelId) && m.Ttl > 0).TakeLast(_options.MessageLimit).ToList();
        var saved = await store.ImportAsync(Uaid, messages, time.GetUtcNow().ToUnixTimeSeconds());
        var now = time.GetUtcNow();
        state.State.Exists = true;
        state.State.CreatedAt = now;
        state.State.LastSeen = now;
        await WriteOrDeactivateAsync(WriteRecordAsync, () => state.State.Exists = false);
        _channels = channels;
        return new ImportResult(ImportOutcome.Imported, saved.Saved, saved.Expired, saved.Conflicts);
    }
}
