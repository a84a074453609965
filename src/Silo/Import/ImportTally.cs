using System.Globalization;
using System.Text;

namespace Push.Silo.Import;

/// <summary>Why a user, a channel or a message was not imported.</summary>
internal enum Skip
{
    UserAlreadyInPush,
    UserNotWebPush,
    UserMalformed,
    UserGone,
    ChannelMalformed,
    ChannelBeyondLimit,
    MessageDelivered,
    MessageExpired,
    MessageMalformed,
    MessageOtherKey,
    MessageUnknownChannel,
    MessageBeyondLimit,
    MessageConflict,
}

/// <summary>What an import did so far: counts of what was imported, and of what was skipped and why. Thread-safe.</summary>
internal sealed class ImportTally
{
    private readonly long[] _skipped = new long[Enum.GetValues<Skip>().Length];
    private long _users;
    private long _channels;
    private long _messages;

    public long Users => Interlocked.Read(ref _users);

    public long Channels => Interlocked.Read(ref _channels);

    public long Messages => Interlocked.Read(ref _messages);

    public long UsersRead => Users + SkippedOf(Subject.User);

    public void Imported(int channels, int messages)
    {
        Interlocked.Increment(ref _users);
        Interlocked.Add(ref _channels, channels);
        Interlocked.Add(ref _messages, messages);
    }

    public void Skipped(Skip reason, long count = 1)
    {
        if (count > 0)
        {
            Interlocked.Add(ref _skipped[(int)reason], count);
        }
    }

    public long SkippedFor(Skip reason) => Interlocked.Read(ref _skipped[(int)reason]);

    /// <summary>One line for a long run.</summary>
    public string Progress(TimeSpan elapsed) => string.Create(CultureInfo.InvariantCulture,
        $"  {UsersRead} users read ({Users} imported, {SkippedOf(Subject.User)} skipped), {Channels} channels, {Messages} messages, {elapsed.TotalSeconds:0} s");

    /// <summary>The counts, then each reason something was skipped.</summary>
    public string Summary(bool dryRun)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Plural(Users, "user")}, {Plural(Channels, "channel")} and {Plural(Messages, "message")} {(dryRun ? "would be imported" : "imported")}.\n");
        foreach (var subject in Enum.GetValues<Subject>())
        {
            var total = SkippedOf(subject);
            if (total == 0)
            {
                continue;
            }

            text.Append(CultureInfo.InvariantCulture, $"Skipped {Plural(total, subject.ToString().ToLowerInvariant())}:\n");
            foreach (var reason in Enum.GetValues<Skip>().Where(r => SubjectOf(r) == subject && SkippedFor(r) > 0))
            {
                text.Append(CultureInfo.InvariantCulture, $"  {SkippedFor(reason)} {Describe(reason)}\n");
            }
        }

        return text.ToString();
    }

    public static string Describe(Skip reason) => reason switch
    {
        Skip.UserAlreadyInPush => "already in Push (imported before, or registered on Push since): left as they are",
        Skip.UserNotWebPush => "not WebPush users (router_type fcm, apns...): Push has no mobile bridges",
        Skip.UserMalformed => "with a record that is not autopush's (bad JSON, or a UAID that does not match its key)",
        Skip.UserGone => "gone while the import ran (expired, or removed by autopush)",
        Skip.ChannelMalformed => "not a channel id",
        Skip.ChannelBeyondLimit => "beyond max_channels for their user",
        Skip.MessageDelivered => "already delivered and acknowledged",
        Skip.MessageExpired => "expired",
        Skip.MessageMalformed => "with a record that is not autopush's (bad JSON, missing fields, or an id naming another user or channel)",
        Skip.MessageOtherKey => "with an id no key of crypto_key decrypts",
        Skip.MessageUnknownChannel => "for a channel the user no longer has",
        Skip.MessageBeyondLimit => "beyond msg_limit for their user (the newest are kept)",
        Skip.MessageConflict => "whose id already holds a different message in Push",
        _ => reason.ToString(),
    };

    private static string Plural(long count, string noun) => string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? "" : "s")}");

    private static Subject SubjectOf(Skip reason) => reason switch
    {
        Skip.UserAlreadyInPush or Skip.UserNotWebPush or Skip.UserMalformed or Skip.UserGone => Subject.User,
        Skip.ChannelMalformed or Skip.ChannelBeyondLimit => Subject.Channel,
        _ => Subject.Message,
    };

    private long SkippedOf(Subject subject) => Enum.GetValues<Skip>().Where(r => SubjectOf(r) == subject).Sum(SkippedFor);

    private enum Subject
    {
        User,
        Channel,
        Message,
    }
}
