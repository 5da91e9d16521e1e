using System.Runtime.InteropServices;

namespace OrderService.Bench;

/// <summary>Everything the bench started (the server process, PostgreSQL, temp folders) is
/// registered here and undone in reverse order: at the end of the run, when it fails, on
/// Ctrl+C or SIGTERM (the first signal cancels the run, which then unwinds and cleans up;
/// a second one cleans up at once and exits), and at process exit. Each action runs once.</summary>
public static class Cleanup
{
    private static readonly Lock Gate = new();
    private static readonly List<(string Name, Action Action)> Actions = [];
    private static readonly CancellationTokenSource Stop = new();
    private static readonly List<PosixSignalRegistration> Signals = [];
    private static int _signals;

    /// <summary>Cancelled by the first Ctrl+C / SIGTERM.</summary>
    public static CancellationToken Token => Stop.Token;

    public static void Install()
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
        {
            Signals.Add(PosixSignalRegistration.Create(signal, context =>
            {
                if (Interlocked.Increment(ref _signals) == 1)
                {
                    context.Cancel = true; // unwind through the finally blocks
                    Console.Error.WriteLine($"\n{context.Signal}: stopping, cleaning up (again to force)...");
                    Stop.Cancel();
                }
                else
                {
                    RunAll();
                }
            }));
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => RunAll();
    }

    /// <summary>Registers an undo action; disposing the result runs it now (once).</summary>
    public static IDisposable Register(string name, Action action)
    {
        var entry = (name, action);
        lock (Gate)
        {
            Actions.Add(entry);
        }

        return new Handle(() =>
        {
            bool mine;
            lock (Gate)
            {
                mine = Actions.Remove(entry);
            }

            if (mine)
            {
                Run(entry);
            }
        });
    }

    public static void RunAll()
    {
        while (true)
        {
            (string Name, Action Action) entry;
            lock (Gate)
            {
                if (Actions.Count == 0)
                {
                    return;
                }

                entry = Actions[^1];
                Actions.RemoveAt(Actions.Count - 1);
            }

            Run(entry);
        }
    }

    private static void Run((string Name, Action Action) entry)
    {
        try
        {
            entry.Action();
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"cleanup of {entry.Name} failed: {e.Message}");
        }
    }

    private sealed class Handle(Action dispose) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                dispose();
            }
        }
    }
}
