using Microsoft.Extensions.Configuration;
using Npgsql;

namespace OrderService.Persistence;

/// <summary>Lets one runner at a time do a background pass over the shared database. On
/// PostgreSQL the lock is a session advisory lock (<c>pg_try_advisory_lock</c>) taken on a
/// connection of its own, outside the pool: every instance on the database competes for it,
/// and it goes away with the session if the holder crashes, so no instance ever waits for a
/// dead one. On SQLite (one process per file) and SQL Server the lock is this process's own;
/// instances of SQL Server may then run a pass side by side, which optimistic concurrency
/// keeps correct (an order changed by one is refused to the other), at the cost of reading
/// the same orders twice.
///
/// The lock saves work; it is not what keeps an order from being changed twice. A runner
/// that lost its connection may still be finishing its current order when another takes
/// the lock, and the version check settles that one order.</summary>
public sealed class PassLocks(IConfiguration configuration)
{
    /// <summary>The automatic cancellation pass (R4, R5 and the R5 warning).</summary>
    public const string AutoCancel = "auto-cancel";

    // PostgreSQL advisory lock keys are one 64-bit number shared by every application on
    // the database: ours start with the ASCII of "ORDS".
    private static readonly Dictionary<string, long> PostgresKeys = new()
    {
        [AutoCancel] = 0x4F52_4453_0000_0001,
    };

    private readonly Dictionary<string, SemaphoreSlim> _inProcess = PostgresKeys.Keys.ToDictionary(name => name, _ => new SemaphoreSlim(1, 1));

    /// <summary>The lock of <paramref name="pass"/> if no one else holds it, else null at
    /// once (never waits: the holder is doing the work). Dispose it to release it.</summary>
    public async Task<IAsyncDisposable?> TryAcquireAsync(string pass, CancellationToken cancellationToken)
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
            return null;
        }

        try
        {
            var provider = DatabaseSetup.ProviderFrom(configuration);
            if (provider != DatabaseProvider.Postgres)
            {
                return new Held(local, null, key);
            }

            // Not from the pool: a session lock would stay with a pooled connection (the pool
            // does not reset one on return), and closing this one always ends the session.
            var builder = new NpgsqlConnectionStringBuilder(DatabaseSetup.ConnectionStringFrom(configuration, provider)) { Pooling = false };
            var connection = new NpgsqlConnection(builder.ConnectionString);
            try
            {
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection) { Parameters = { new() { Value = key } } };
                if (await command.ExecuteScalarAsync(cancellationToken) is true)
                {
                    return new Held(local, connection, key);
                }
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }

            await connection.DisposeAsync();
            local.Release();
            return null;
        }
        catch
        {
            local.Release();
            throw;
        }
    }

    private sealed class Held(SemaphoreSlim local, NpgsqlConnection? connection, long key) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 1)
            {
                return;
            }

            try
            {
                if (connection is not null)
                {
                    try
                    {
                        // Closing ends the session, which releases the lock anyway; unlocking
                        // first just says so sooner to a server that is slow to notice.
                        await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection) { Parameters = { new() { Value = key } } };
                        await unlock.ExecuteScalarAsync(CancellationToken.None);
                    }
                    catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
                    {
                        // The connection broke: the session, and its lock, are gone with it.
                    }
                    finally
                    {
                        await connection.DisposeAsync();
                    }
                }
            }
            finally
            {
                local.Release();
            }
        }
    }
}
