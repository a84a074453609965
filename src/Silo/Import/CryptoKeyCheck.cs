using Push.Shared.Crypto;
using Push.Shared.Tokens;

namespace Push.Silo.Import;

/// <summary>
/// Whether Push has autopush's crypto key, checked before anything is written: message ids are
/// encrypted with the key autopush's endpoint used, the same one its endpoint URLs are. With another
/// key every message would be skipped, and every endpoint autopush handed out would fail later.
/// </summary>
internal static class CryptoKeyCheck
{
    private const int Enough = 20;
    private const int MostUsers = 2000;

    /// <summary>How many message ids of the first users were tried, and how many decrypted.</summary>
    public static async Task<(int Tried, int Decrypted)> SampleAsync(AutopushSource source, FernetKeyRing keys)
    {
        int tried = 0, decrypted = 0, users = 0;
        var cursor = "0";
        do
        {
            var (next, userKeys) = await source.ScanUsersAsync(cursor, 500);
            foreach (var userKey in userKeys)
            {
                foreach (var entry in await source.ReadPendingAsync(userKey[AutopushKeys.UserPrefix.Length..], 0, 0, 5))
                {
                    if (AutopushJsonContext.Parse(entry.Body, AutopushJsonContext.Default.AutopushMessageRecord)?.Version is { } version)
                    {
                        tried++;
                        decrypted += MessageId.TryDecrypt(keys, version, out _) ? 1 : 0;
                    }
                }

                if (tried >= Enough || ++users >= MostUsers)
                {
                    return (tried, decrypted);
                }
            }

            cursor = next;
        }
        while (cursor != "0");

        return (tried, decrypted);
    }
}
