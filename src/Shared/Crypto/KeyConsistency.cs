namespace Push.Shared.Crypto;

/// <summary>
/// Whether this process's crypto keys agree with the rest of the cluster, as last checked.
/// Health routes report <see cref="Problem"/> when there is one.
/// </summary>
public sealed class KeyConsistency
{
    private volatile string? _problem;

    public string? Problem
    {
        get => _problem;
        set => _problem = value;
    }
}
