using System.Collections;
using Microsoft.Extensions.Logging;
using Push.Shared.Logging;

namespace Push.Silo.Hosting;

/// <summary>
/// Wraps the console provider so that no line, whoever logs it (Push, Orleans, the store client),
/// carries a user or channel id: the message, the values a JSON line lists, and the exception's text all
/// pass through <see cref="LogRedaction"/>. Runtime messages name grains by the UAID, which is a secret.
/// Lines of <paramref name="exemptCategory"/> (the host's start-up summary) are left as they are.
/// </summary>
[ProviderAlias("Console")]
internal sealed class RedactingLoggerProvider(ILoggerProvider inner, string exemptCategory) : ILoggerProvider, ISupportExternalScope
{
    public ILogger CreateLogger(string categoryName) =>
        categoryName == exemptCategory ? inner.CreateLogger(categoryName) : new Redacting(inner.CreateLogger(categoryName));

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => (inner as ISupportExternalScope)?.SetScopeProvider(scopeProvider);

    public void Dispose() => inner.Dispose();

    private sealed class Redacting(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            var message = LogRedaction.Redact(formatter(state, exception));
            var redacted = new RedactedState(message, state as IReadOnlyList<KeyValuePair<string, object?>>);
            inner.Log(logLevel, eventId, redacted, exception is null ? null : new RedactedException(exception), static (s, _) => s.Message);
        }
    }

    /// <summary>The entry's text and values, ids masked; a JSON line lists the values as the original would.</summary>
    private sealed class RedactedState(string message, IReadOnlyList<KeyValuePair<string, object?>>? values) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message => message;

        public int Count => values?.Count ?? 0;

        public KeyValuePair<string, object?> this[int index] => new(values![index].Key, Redact(values[index].Value));

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => message;

        // Numbers, flags, times and the like cannot hold an id and keep their type; anything else is
        // logged as its text, so that text is what gets masked.
        private static object? Redact(object? value) => value switch
        {
            null or bool or TimeSpan or DateTime or DateTimeOffset or Enum => value,
            string text => LogRedaction.Redact(text),
            IConvertible and not char => value,
            _ => value.ToString() is { } text && LogRedaction.Redact(text) is var masked && !ReferenceEquals(masked, text) ? masked : value,
        };
    }

    /// <summary>The exception as a line shows it (type, message, stack, inner ones), ids masked.</summary>
    private sealed class RedactedException(Exception original) : Exception(LogRedaction.Redact(original.Message))
    {
        private readonly string _text = LogRedaction.Redact(original.ToString());

        public override string? StackTrace => null;

        public override string ToString() => _text;
    }
}
