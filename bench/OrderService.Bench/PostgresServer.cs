using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace OrderService.Bench;

/// <summary>A throwaway PostgreSQL 15 from Debian's binaries (<c>apt-get install -y
/// postgresql</c>): initdb into a temp folder (as the <c>postgres</c> user when running as
/// root, since initdb refuses root), started on a free 127.0.0.1 port with fsync on, stopped
/// and deleted by <see cref="Dispose"/> or by <see cref="Cleanup"/>. Or, with
/// --postgres-connection, a server someone else runs.</summary>
public sealed class PostgresServer : IDisposable
{
    private readonly string? _folder;
    private readonly string? _binaries;
    private readonly IDisposable? _cleanup;

    private PostgresServer(string connectionString, string? folder, string? binaries)
    {
        ServerConnectionString = connectionString;
        _folder = folder;
        _binaries = binaries;
        if (folder is not null)
        {
            _cleanup = Cleanup.Register("PostgreSQL", StopAndDelete);
        }
    }

    /// <summary>Connects to the server's default database; <see cref="Database"/> makes the
    /// string for another one.</summary>
    public string ServerConnectionString { get; }

    public bool Throwaway => _folder is not null;

    public static PostgresServer External(string connectionString) => new(connectionString, null, null);

    public static async Task<PostgresServer> StartAsync(Action<string> log, CancellationToken cancellationToken)
    {
        var binaries = FindBinaries()
            ?? throw new InvalidOperationException(
                "PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin. Install Debian's PostgreSQL: apt-get install -y postgresql " +
                "(or pass --postgres-connection \"Host=...;Username=...\").");
        var root = geteuid() == 0;
        if (root && !UserExists("postgres"))
        {
            throw new InvalidOperationException("Running as root but there is no 'postgres' user to run PostgreSQL as: apt-get install -y postgresql");
        }

        // A short path: the Unix socket (FOLDER/.s.PGSQL.PORT) must stay under ~107 characters.
        var folder = Path.Combine("/tmp", $"osbench-pg-{Guid.NewGuid():N}"[..22]);
        Directory.CreateDirectory(folder);
        var port = FreePort();
        var server = new PostgresServer(
            $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false;Timeout=30",
            folder,
            binaries);
        try
        {
            if (root)
            {
                await RunAsync("chown", ["postgres:postgres", folder], folder, cancellationToken);
            }

            await server.RunPgAsync("initdb", ["-D", Path.Combine(folder, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"], cancellationToken);
            await server.RunPgAsync("pg_ctl",
            [
                "-D", Path.Combine(folder, "data"), "-l", Path.Combine(folder, "log"), "-w", "-t", "60",
                "-o", $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c max_connections=200",
                "start",
            ], cancellationToken);
            log($"PostgreSQL started on 127.0.0.1:{port} ({binaries}, data in {folder})");
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>The connection string of a database on this server.</summary>
    public string Database(string name) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name, Pooling = true }.ConnectionString;

    public async Task<string> VersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SHOW server_version", connection);
        return $"{await command.ExecuteScalarAsync(cancellationToken)}";
    }

    public async Task DropDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public void Dispose() => _cleanup?.Dispose();

    private void StopAndDelete()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            RunPgAsync("pg_ctl", ["-D", Path.Combine(_folder!, "data"), "-m", "fast", "-w", "-t", "30", "stop"], CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            RunPgAsync("pg_ctl", ["-D", Path.Combine(_folder!, "data"), "-m", "immediate", "-w", "-t", "30", "stop"], CancellationToken.None).GetAwaiter().GetResult();
        }
        finally
        {
            Directory.Delete(_folder!, recursive: true);
        }
    }

    private Task RunPgAsync(string program, string[] arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_binaries!, program);
        return geteuid() == 0
            ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments], _folder!, cancellationToken)
            : RunAsync(path, arguments, _folder!, cancellationToken);
    }

    private static string? FindBinaries()
    {
        var configured = Environment.GetEnvironmentVariable("ORDERSERVICE_PG_BIN");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(Path.Combine(configured, "initdb")) ? configured : null;
        }

        const string Preferred = "/usr/lib/postgresql/15/bin";
        if (File.Exists(Path.Combine(Preferred, "initdb")))
        {
            return Preferred;
        }

        return Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
    }

    private static bool UserExists(string name) =>
        File.ReadLines("/etc/passwd").Any(line => line.StartsWith($"{name}:", StringComparison.Ordinal));

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a program to completion (at most two minutes); fails with its output if
    /// it exits non-zero.</summary>
    public static async Task RunAsync(string program, IEnumerable<string> arguments, string workingDirectory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}:\n{await output}{await error}");
        }
    }

    /// <summary>The effective user id, from /proc/self/status ("Uid: real effective ...").</summary>
    private static uint geteuid() =>
        uint.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal))
            .Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[2], System.Globalization.CultureInfo.InvariantCulture);
}
