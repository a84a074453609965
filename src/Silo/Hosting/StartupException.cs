namespace Push.Silo.Hosting;

/// <summary>What kept a process from starting, among the failures Push explains in one line.</summary>
public enum StartupFailureKind
{
    /// <summary>Another process listens on one of its ports.</summary>
    PortInUse,

    /// <summary>The Redis that <c>db_dsn</c> names does not answer.</summary>
    Store,

    /// <summary>The embedded store cannot keep its files in <c>data_dir</c>.</summary>
    DataDir,
}

/// <summary>
/// The process cannot start for a reason outside it (a port taken, a store down). The message is one
/// line naming the setting involved and the cause, which is all the person starting it needs.
/// </summary>
public sealed class StartupException(StartupFailureKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public StartupFailureKind Kind => kind;
}
