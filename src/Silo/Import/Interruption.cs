using System.Runtime.InteropServices;

namespace Push.Silo.Import;

/// <summary>Ctrl+C or SIGTERM: the import stops between users instead of the process dying mid-write.</summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration[] _signals;

    public Interruption()
    {
        _signals = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
    }

    public CancellationToken Token => _cancel.Token;

    public void Dispose()
    {
        foreach (var signal in _signals)
        {
            signal.Dispose();
        }

        _cancel.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        _cancel.Cancel();
    }
}
