using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OrderService.IntegrationTests.Infrastructure;
using OrderService.Persistence;

namespace OrderService.IntegrationTests.BadInput;

/// <summary>The content of one table: its row count, a SHA-256 over its rows (each row its
/// values as invariant text, the rows sorted, so the hash does not depend on the order the
/// database returns them in) and the rows themselves, to say what changed.</summary>
public sealed record TableSnapshot(string Table, int Rows, string Hash, IReadOnlyList<string> Contents);

/// <summary>Every table of the database as it is at one moment: the tables the database's
/// own catalog lists (so a table the model does not map is not missed), checked to include
/// every table of the EF model (orders, order_events, idempotency_records...). For the
/// bad-input corpus: a refused request must leave every table as it was (issue 12).</summary>
public sealed class DatabaseSnapshot
{
    private DatabaseSnapshot(IReadOnlyDictionary<string, TableSnapshot> tables) => Tables = tables;

    public IReadOnlyDictionary<string, TableSnapshot> Tables { get; }

    public static Task<DatabaseSnapshot> TakeAsync(ServerFixture server) =>
        server.QueryDatabaseAsync(async db =>
        {
            await db.Database.OpenConnectionAsync();
            try
            {
                var connection = db.Database.GetDbConnection();
                var names = await TableNamesAsync(connection, server.Provider);
                var unlisted = db.Model.GetRelationalModel().Tables.Select(t => t.Name).Except(names).ToList();
                if (unlisted.Count > 0)
                {
                    throw new InvalidOperationException($"The catalog does not list the model's tables {string.Join(", ", unlisted)}.");
                }

                var tables = new Dictionary<string, TableSnapshot>(StringComparer.Ordinal);
                foreach (var name in names)
                {
                    tables[name] = await ReadTableAsync(connection, name);
                }

                return new DatabaseSnapshot(tables);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        });

    /// <summary>Row counts of every table, in one statement: cheap enough to take around
    /// every single call, to tell which call of a group changed a table.</summary>
    public static Task<IReadOnlyDictionary<string, long>> CountAsync(ServerFixture server) =>
        server.QueryDatabaseAsync(async db =>
        {
            await db.Database.OpenConnectionAsync();
            try
            {
                var connection = db.Database.GetDbConnection();
                var names = await TableNamesAsync(connection, server.Provider);
                await using var command = connection.CreateCommand();
                command.CommandText = string.Join(" UNION ALL ", names.Select((name, i) => $"SELECT {i}, COUNT(*) FROM {Quote(name)}"));
                var counts = new Dictionary<string, long>(StringComparer.Ordinal);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    counts[names[Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture)]] = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
                }

                return (IReadOnlyDictionary<string, long>)counts;
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        });

    /// <summary>What differs from <paramref name="before"/>, one line per changed table with
    /// the rows added and removed (a few, shortened); empty when nothing did. Rows that
    /// <paramref name="allowedAddition"/> accepts (table, row) may be added, and nothing else.</summary>
    public IReadOnlyList<string> DifferencesFrom(DatabaseSnapshot before, Func<string, string, bool>? allowedAddition = null)
    {
        var differences = new List<string>();
        foreach (var name in before.Tables.Keys.Union(Tables.Keys).Order(StringComparer.Ordinal))
        {
            var old = before.Tables.GetValueOrDefault(name);
            var now = Tables.GetValueOrDefault(name);
            if (old is not null && now is not null && old.Rows == now.Rows && old.Hash == now.Hash)
            {
                continue;
            }

            var oldRows = old?.Contents ?? [];
            var newRows = now?.Contents ?? [];
            var removed = MultisetExcept(oldRows, newRows);
            var added = MultisetExcept(newRows, oldRows);
            if (removed.Count == 0 && allowedAddition is not null && added.All(row => allowedAddition(name, row)))
            {
                continue;
            }

            differences.Add($"table {name}: {oldRows.Count} -> {newRows.Count} rows, hash {old?.Hash[..12]} -> {now?.Hash[..12]}; "
                + $"added {Sample(added)}; removed {Sample(removed)}");
        }

        return differences;
    }

    private static List<string> MultisetExcept(IReadOnlyList<string> rows, IReadOnlyList<string> minus)
    {
        var remaining = minus.GroupBy(r => r, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var row in rows)
        {
            if (remaining.TryGetValue(row, out var count) && count > 0)
            {
                remaining[row] = count - 1;
            }
            else
            {
                result.Add(row);
            }
        }

        return result;
    }

    private static string Sample(List<string> rows) =>
        rows.Count == 0 ? "none" : $"{rows.Count}: " + string.Join(" | ", rows.Take(3).Select(r => r.Length > 240 ? r[..240] + "..." : r));

    private static async Task<List<string>> TableNamesAsync(DbConnection connection, DatabaseProvider provider)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = provider == DatabaseProvider.Postgres
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    private static async Task<TableSnapshot> ReadTableAsync(DbConnection connection, string table)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {Quote(table)}";
        var rows = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            var values = new object[reader.FieldCount];
            while (await reader.ReadAsync())
            {
                reader.GetValues(values);
                rows.Add(string.Join('\u001f', values.Select(Text)));
            }
        }

        rows.Sort(StringComparer.Ordinal);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001e', rows))));
        return new TableSnapshot(table, rows.Count, hash, rows);
    }

    private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static string Text(object value) => value switch
    {
        DBNull => "NULL",
        byte[] bytes => "0x" + Convert.ToHexString(bytes),
        DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.ToString("O", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
