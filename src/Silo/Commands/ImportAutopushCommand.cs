using System.Globalization;
using Push.Shared.Crypto;
using Push.Shared.Settings;
using Push.Silo.Hosting;
using Push.Silo.Import;

namespace Push.Silo.Commands;

/// <summary>
/// <c>import-autopush --from redis://…</c>: copies an autopush-rs Redis database (users, channels, pending
/// messages) into Push's configured store, so that clients and senders move over without noticing.
/// </summary>
public static class ImportAutopushCommand
{
    public const string Name = "import-autopush";

    public static PushCommand Command { get; } = new(Name, ImportOptions.Arguments,
        "copy the users, channels and pending messages of an autopush-rs database into Push's store",
        context => RunAsync(ImportOptions.Parse(context.Args), context.Environment, context.Out, context.Error, TimeProvider.System),
        ImportOptions.Details);

    /// <returns>0 when done (or stopped by <c>--max-users</c>), 1 when it failed on the way, 2 for bad settings, 130 when interrupted.</returns>
    private static async Task<int> RunAsync(ImportOptions options, IReadOnlyDictionary<string, string?> environment, TextWriter output, TextWriter error, TimeProvider time)
    {
        using var interruption = new Interruption();
        try
        {
            var configuration = PushConfiguration.Read(new HostCommandLine("all", options.ConnectConfig, options.EndpointConfig, options.SiloConfig), environment);
            _ = configuration.RedisOptions();
            var keys = AutopushKeyRing(configuration);
            await using var source = await AutopushSource.ConnectAsync(options.From!);
            var (tried, decrypted) = await CryptoKeyCheck.SampleAsync(source, keys);
            if (tried > 0 && decrypted == 0)
            {
                throw new SettingsException($"Invalid setting crypto_keys (AUTOEND__CRYPTO_KEYS): none of {tried} message ids in {source.Description} decrypts with it; give Push the crypto key autopush used, or every endpoint autopush handed out stops working");
            }

            await using var target = options.DryRun ? null : await ImportTarget.StartAsync(configuration, source.Identity);
            output.WriteLine(target is null
                ? $"Dry run: reading the autopush users in {source.Description}; nothing is written, and Push's store is not read."
                : $"Importing the autopush users in {source.Description} into {target.Description}.");
            var reader = new AutopushUserReader(source, keys, configuration.Silo.MaxChannels, configuration.Connect.MessageLimit, time);
            var run = new ImportRun(source, reader, target, options, output, time);
            var started = time.GetTimestamp();
            try
            {
                await run.RunAsync(interruption.Token);
            }
            catch (OperationCanceledException) when (interruption.Token.IsCancellationRequested)
            {
                output.Write(run.Tally.Summary(options.DryRun));
                output.WriteLine("Interrupted: run the same command again to continue.");
                return 130;
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Done in {time.GetElapsedTime(started).TotalSeconds:0.0} s."));
            output.Write(run.Tally.Summary(options.DryRun));
            if (run.StoppedEarly)
            {
                output.WriteLine($"Stopped after {options.MaxUsers} users (--max-users): run the same command again to continue.");
            }

            return 0;
        }
        catch (SettingsException e)
        {
            error.WriteLine($"push: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The source or the store failed on the way (a grain call may carry any exception type).
            error.WriteLine($"push: the import stopped: {e.GetType().Name}: {e.Message}");
            error.WriteLine("What it imported is kept: run the same command again to continue.");
            return 1;
        }
    }

    /// <summary>
    /// The keys autopush's message ids (and endpoints) are encrypted with: the endpoint's <c>crypto_keys</c>,
    /// else the connect side's <c>crypto_key</c>, else a key file an earlier Push start left in <c>data_dir</c>.
    /// </summary>
    private static FernetKeyRing AutopushKeyRing(PushConfiguration configuration)
    {
        if (!configuration.Endpoint.CryptoKeysGenerated)
        {
            return configuration.Endpoint.CryptoKeys;
        }

        if (!configuration.Connect.CryptoKeyGenerated)
        {
            return configuration.Connect.CryptoKeys;
        }

        return PushConfiguration.LoadStoredKey(configuration.Silo.DataDir) is { } stored
            ? new FernetKeyRing([stored])
            : throw new SettingsException("Invalid setting crypto_keys (AUTOEND__CRYPTO_KEYS): not set; the import and Push itself need the crypto key autopush used (AUTOEND__CRYPTO_KEYS, or AUTOCONNECT__CRYPTO_KEY), or every endpoint autopush handed out stops working");
    }
}
