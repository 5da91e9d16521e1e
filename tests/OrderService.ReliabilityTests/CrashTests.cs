using OrderService.IntegrationTests.Infrastructure;
using OrderService.Persistence;
using Xunit.Abstractions;

// One server, one database and one load at a time on the 2-core machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace OrderService.ReliabilityTests;

/// <summary>Crash and restart (issue 12), each scenario on each database: the server is
/// SIGKILLed in the middle of its work and started again on the same database. Every
/// acknowledged write must be there once, every answer the same when asked again with the
/// same request_id (or, for a call whose answer was lost, consistent with exactly one
/// effect), and a subscriber resuming from its stored cursor must get every notice once
/// after de-duplication, and none for a change that did not commit. The graceful stops
/// (SIGTERM during a call and during a background pass, GracefulShutdown.cs) and, on
/// PostgreSQL, three server processes on one database (ScaleOut.cs) are tried the same way.</summary>
public abstract partial class CrashTests(ITestOutputHelper output)
{
    /// <summary>No wait of these tests is longer; a failing test fails, it does not hang.</summary>
    protected static readonly TimeSpan LongWait = TimeSpan.FromSeconds(90);

    protected abstract DatabaseProvider Provider { get; }

    protected ITestOutputHelper Output { get; } = output;

    protected static string RunId() => Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
}

public sealed class SqliteCrashTests(ITestOutputHelper output) : CrashTests(output)
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed partial class PostgresCrashTests(ITestOutputHelper output) : CrashTests(output), IClassFixture<PostgresCrashTests.ThrowawayServer>
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;

    /// <summary>Stops the throwaway PostgreSQL after this class's tests (the only ones that
    /// use it), before the test host is told to stop and kills it too early to clean up.</summary>
    public sealed class ThrowawayServer : IDisposable
    {
        public void Dispose() => PostgresServer.StopThrowaway();
    }
}
