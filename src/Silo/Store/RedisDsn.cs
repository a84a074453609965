using Push.Shared.Settings;
using StackExchange.Redis;

namespace Push.Silo.Store;

/// <summary>
/// Turns a <c>db_dsn</c> (<c>redis://[user:password@]host[:port][/db]</c>, or <c>rediss://</c> for TLS)
/// into client options. Other schemes (Bigtable's <c>grpc://</c>, <c>postgres://</c>) are refused.
/// </summary>
public static class RedisDsn
{
    public static bool TryParse(string dsn, out ConfigurationOptions options, out string error)
    {
        options = new ConfigurationOptions();
        error = string.Empty;
        if (!Uri.TryCreate(dsn, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            error = $"\"{Redact(dsn)}\" is not a URL such as redis://host:6379";
            return false;
        }

        if (uri.Scheme is not ("redis" or "rediss" or "valkey" or "valkeys"))
        {
            error = $"\"{uri.Scheme}://\" storage is not supported; Push stores in Redis or Valkey (redis://host:6379)";
            return false;
        }

        options.EndPoints.Add(uri.Host, uri.IsDefaultPort || uri.Port <= 0 ? 6379 : uri.Port);
        options.Ssl = uri.Scheme is "rediss" or "valkeys";
        if (uri.UserInfo.Length > 0)
        {
            var parts = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
            if (parts.Length == 2)
            {
                options.User = parts[0].Length > 0 ? parts[0] : null;
                options.Password = parts[1];
            }
            else
            {
                options.Password = parts[0];
            }
        }

        // "[REDIS_PASSWORD]" and the like are the deployment files' placeholders: refuse to run on them.
        if (options.Password is ['[', .., ']'])
        {
            error = $"its password {options.Password} is a placeholder; put the real password there";
            return false;
        }

        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            if (!int.TryParse(path, out var database) || database < 0)
            {
                error = $"\"{path}\" is not a database number";
                return false;
            }

            options.DefaultDatabase = database;
        }

        StoreConnection.FailFast(options);
        return true;
    }

    /// <summary>The DSN with its password replaced by <c>***</c>, for any text a person or a log may read.</summary>
    public static string Redact(string dsn) => Redaction.UrlCredentials(dsn);
}
