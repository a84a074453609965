using System.Diagnostics;

namespace Push.Testing;

/// <summary>Processes a test started: whatever happens to the test run, none of them outlives it.</summary>
public static class ChildProcesses
{
    private static readonly List<Process> Running = [];

    static ChildProcesses() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        lock (Running)
        {
            foreach (var process in Running)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // Already exited.
                }
            }
        }
    };

    public static void Track(Process process)
    {
        lock (Running)
        {
            Running.Add(process);
        }
    }

    public static void Forget(Process process)
    {
        lock (Running)
        {
            Running.Remove(process);
        }
    }
}
