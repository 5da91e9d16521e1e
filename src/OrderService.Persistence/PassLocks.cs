using Microsoft.Extensions.Configuration;
using Npgsql;

namespace OrderService.Persistence;

/// <summary>Lets one runner at a time do a background pass over the shared database. On
/// PostgreSQL the lock is a session advisory lock (<c>pg_try_advisory_lock</c>) taken on a
/// connection of its own, outside the pool: every instance on the database competes for it,
/// and it ends with the session. A holder whose process dies loses it as soon as its
/// operating system closes the connection; one whose machine vanishes, within about a
/// minute, by the TCP keepalives set on the lock's session. On SQLite (one process per file)
/// and SQL Server the lock is this process's own; instances of SQL Server may then run a pass
/// side by side, which optimistic concurrency keeps correct (an order changed by one is
/// refused to the other), at the cost of reading the same orders twice.
///
/// The lock saves work; it is not what keeps an order from being changed twice. Its session
/// can be lost while the holder works (a restart of PostgreSQL, a network fault): the holder
/// learns it at its next <see cref="PassLock.StillHeldAsync"/>, between two batches, and
/// another instance may take the lock meanwhile; for the orders both touch, the version
/// check on every change decides.</summary>
public sealed class PassLocks(IConfiguration configuration)
{
    /// <summary>The automatic cancellation pass (R4, R5 and the R5 warning).</summary>
    public const string AutoCancel = "auto-cancel";

    /// <summary>Rendering the stale stored views of orders at start (after an upgrade).</summary>
    public const string RenderViews = "render-views";

    // PostgreSQL advisory lock keys are one 64-bit number shared by every application on the
    // database; the service's others are in OrderDbContext (EventAppendLockKey, "OrderEvt").
    private static readonly Dictionary<string, long> PostgresKeys = new()
    {
        [AutoCancel] = 0x4F72_6450_6173_7331, // "OrdPass1"
        [RenderViews] = 0x4F72_6450_6173_7332, // "OrdPass2"
    };

    /// <summary>How long a lost session may go unnoticed by PostgreSQL: keepalives after 30 s
    /// of silence, every 10 s, 3 unanswered.</summary>
    private const string SessionKeepalives = "SET tcp_keepalives_idle = 30; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 3";

    /// <summary>The PostgreSQL advisory lock key of <paramref name="pass"/>, for an operator
    /// looking at <c>pg_locks</c> (classid: the high 32 bits, objid: the low, objsubid 1).</summary>
    public static long PostgresKey(string pass) => PostgresKeys[pass];

    private readonly Dictionary<string, SemaphoreSlim> _inProcess = PostgresKeys.Keys.ToDictionary(name => name, _ => new SemaphoreSlim(1, 1));

    /// <summary>Why <see cref="TryAcquireAsync"/> gave no lock.</summary>
    public enum Refusal
    {
        /// <summary>A runner in this process is doing the pass.</summary>
        RunningHere,

        /// <summary>Another instance on the database is doing the pass.</summary>
        RunningElsewhere,
    }

    /// <summary>The lock of <paramref name="pass"/> if no one else holds it, else why not, at
    /// once (it never waits: the holder is doing the work). Dispose the lock to release it.</summary>
    public async Task<(PassLock? Lock, Refusal Refusal)> TryAcquireAsync(string pass, CancellationToken cancellationToken)
    {
        if (!PostgresKeys.TryGetValue(pass, out var key))
        {
            throw new ArgumentOutOfRangeException(nameof(pass), pass, "not a known pass");
        }

        // Within one process the runs never overlap either (the hosted loop, an operator's
        // or a test's RunOnce).
        var local = _inProcess[pass];
        if (!await local.WaitAsync(TimeSpan.Zero, cancellationToken))
        {
            return (null, Refusal.RunningHere);
        }

        try
        {
            var provider = DatabaseSetup.ProviderFrom(configuration);
            if (provider != DatabaseProvider.Postgres)
            {
                return (new PassLock(local, null, key), default);
            }

            // Not from the pool: a session lock would stay with a pooled connection (the pool
            // does not reset one on return), and closing this one always ends the session.
            var builder = new NpgsqlConnectionStringBuilder(DatabaseSetup.ConnectionStringFrom(configuration, provider)) { Pooling = false };
            var connection = new NpgsqlConnection(builder.ConnectionString);
            try
            {
                await connection.OpenAsync(cancellationToken);
                await using (var keepalives = new NpgsqlCommand(SessionKeepalives, connection))
                {
                    await keepalives.ExecuteNonQueryAsync(cancellationToken);
                }

                await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection) { Parameters = { new() { Value = key } } };
                if (await command.ExecuteScalarAsync(cancellationToken) is true)
                {
                    return (new PassLock(local, connection, key), default);
                }
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }

            await connection.DisposeAsync();
            local.Release();
            return (null, Refusal.RunningElsewhere);
        }
        catch
        {
            local.Release();
            throw;
        }
    }
}

/// <summary>A held pass lock (<see cref="PassLocks"/>). Disposing it releases it.</summary>
public sealed class PassLock : IAsyncDisposable
{
    private static readonly TimeSpan UnlockTimeout = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _local;
    private readonly NpgsqlConnection? _connection;
    private readonly long _key;
    private int _released;

    internal PassLock(SemaphoreSlim local, NpgsqlConnection? connection, long key)
    {
        _local = local;
        _connection = connection;
        _key = key;
    }

    /// <summary>Whether the lock's session is still there (so the lock still held): a pass
    /// asks between batches and stops when it is not, leaving the rest to whoever holds the
    /// lock now. Always true for a lock of this process only.</summary>
    public async Task<bool> StillHeldAsync(CancellationToken cancellationToken)
    {
        if (_connection is null)
        {
            return true;
        }

        try
        {
            await using var ping = new NpgsqlCommand("SELECT 1", _connection);
            await ping.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
        {
            return false; // the session broke: its lock is gone with it
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 1)
        {
            return;
        }

        try
        {
            if (_connection is not null)
            {
                try
                {
                    // Closing ends the session, which releases the lock anyway; unlocking first
                    // tells a server that is slow to notice the close. Briefly: a stop waits.
                    using var timeout = new CancellationTokenSource(UnlockTimeout);
                    await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", _connection) { Parameters = { new() { Value = _key } } };
                    await unlock.ExecuteScalarAsync(timeout.Token);
                }
                catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or OperationCanceledException)
                {
                    // The session broke or is slow: closing it below ends it, and the lock.
                }
                finally
                {
                    await _connection.DisposeAsync();
                }
            }
        }
        finally
        {
            _local.Release();
        }
    }
}
