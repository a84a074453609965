namespace Push.Silo.Import;

/// <summary>
/// The import's main loop: SCAN the autopush users batch by batch, read and store each (several at
/// once), and after each complete batch record how far it got, so a run that stops anyhow continues
/// there. Users a run repeats are found already in Push and left alone.
/// </summary>
internal sealed class ImportRun(AutopushSource source, AutopushUserReader reader, ImportTarget? target, ImportOptions options, TextWriter output, TimeProvider time)
{
    private const int ScanCount = 500;
    private const int Parallelism = 8;

    public ImportTally Tally { get; } = new();

    /// <summary>True when <c>--max-users</c> stopped the run before the end.</summary>
    public bool StoppedEarly { get; private set; }

    public async Task RunAsync(CancellationToken cancellation)
    {
        var started = time.GetTimestamp();
        var lastReport = started;
        var cursor = target is null ? null : await target.LoadResumePointAsync();
        if (cursor is not null)
        {
            output.WriteLine("Continuing where an earlier run of this import stopped.");
        }

        cursor ??= "0";
        do
        {
            var (next, keys) = await source.ScanUsersAsync(cursor, ScanCount);
            var room = options.MaxUsers is { } max ? max - Tally.UsersRead : long.MaxValue;
            var batch = keys.Take((int)Math.Min(room, keys.Count)).ToList();
            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellation },
                async (key, _) => await ImportUserAsync(key));
            if (batch.Count < keys.Count)
            {
                // The rest of this batch is for the next run, which reads it again from its start.
                StoppedEarly = true;
                return;
            }

            cursor = next;
            if (target is not null)
            {
                await target.SaveResumePointAsync(cursor);
            }

            if (time.GetElapsedTime(lastReport) >= options.ProgressInterval)
            {
                output.WriteLine(Tally.Progress(time.GetElapsedTime(started)));
                lastReport = time.GetTimestamp();
            }

            if (options.MaxUsers is { } limit && Tally.UsersRead >= limit && cursor != "0")
            {
                StoppedEarly = true;
                return;
            }
        }
        while (cursor != "0");
    }

    private async Task ImportUserAsync(string userKey)
    {
        var read = await reader.ReadAsync(userKey);
        if (read.User is not { } user)
        {
            Tally.Skipped(read.UserSkip!.Value);
            return;
        }

        if (target is null)
        {
            Count(read);
            Tally.Imported(user.Channels.Count, user.Messages.Count);
            return;
        }

        var result = await target.ImportAsync(read.Uaid, user);
        if (result.Outcome == Grains.Messages.ImportOutcome.AlreadyPresent)
        {
            Tally.Skipped(Skip.UserAlreadyInPush);
            return;
        }

        Count(read);
        Tally.Skipped(Skip.MessageExpired, result.Expired);
        Tally.Skipped(Skip.MessageConflict, result.Conflicts);
        Tally.Imported(user.Channels.Count, result.Messages);
    }

    private void Count(UserRead read)
    {
        foreach (var (reason, count) in read.Skipped)
        {
            Tally.Skipped(reason, count);
        }
    }
}
