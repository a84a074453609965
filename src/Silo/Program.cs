using System.Collections;
using Push.Silo.Commands;

var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
    .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
return await CommandTable.RunAsync(args, Console.Out, Console.Error, environment);
