namespace Push.Silo.Store;

/// <summary>Another process keeps its embedded store in this data folder.</summary>
public sealed class DataDirInUseException(string dataDir, Exception inner)
    : IOException($"{dataDir} is in use by another Push process (the service, or an import); stop it first, or give each process its own data_dir", inner);
