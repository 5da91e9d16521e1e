using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OrderService.Persistence;

/// <summary>Sets up every SQLite connection the service opens for a large database: the
/// file is read through memory-mapped I/O and each connection keeps a page cache of 64 MB, so
/// that an order read at 100,000 orders costs about what it costs at 1,000 (with SQLite's
/// 2 MB default cache, most reads of a large file went to the operating system). Durability
/// is untouched: WAL with synchronous FULL (a test states it).</summary>
internal sealed class SqliteConnectionTuning : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -65536;";

    public static readonly SqliteConnectionTuning Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
