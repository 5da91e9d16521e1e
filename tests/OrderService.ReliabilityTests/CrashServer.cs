using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OrderService.Client;
using OrderService.IntegrationTests.Infrastructure;
using OrderService.OrderCtl;
using OrderService.Persistence;

namespace OrderService.ReliabilityTests;

/// <summary>One real server process on a database of its own, driven through
/// scripts/test-server: started, killed with SIGKILL (<see cref="Kill"/>), started again on
/// the same port and database. SQLite lives in the state folder; on PostgreSQL a database
/// is created on the throwaway server (<see cref="PostgresServer"/>) and dropped at the end.
/// The tests also open the database themselves, while the server is down or alongside it,
/// to seed it and to count what was written.</summary>
public sealed class CrashServer : IAsyncDisposable
{
    private const string SigningKey = "reliability-tests-signing-key-0123456789abcdef";
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, string> _environment = [];
    private readonly string _state;
    private readonly string _connectionString;
    private readonly string? _postgresDatabase;
    private readonly ServerSettings _settings;

    private CrashServer(DatabaseProvider provider, string state, string connectionString, string? postgresDatabase, ServerSettings settings)
    {
        Provider = provider;
        _state = state;
        _connectionString = connectionString;
        _postgresDatabase = postgresDatabase;
        _settings = settings;
        Database = Options(provider, connectionString);
        _environment["ORDERSERVICE_TEST_STATE"] = state;
        _environment["ORDERSERVICE_SERVER_DLL"] = ServerDll;
        _environment["ORDERSERVICE_TEST_SIGNING_KEY"] = SigningKey;
        var arguments = settings.Arguments.ToList();
        if (settings.ShutdownTimeoutSeconds is { } shutdownTimeout)
        {
            arguments.Add($"--shutdownTimeoutSeconds={shutdownTimeout}");
            _environment["ORDERSERVICE_TEST_STOP_WAIT"] = (shutdownTimeout + 5).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        _environment["ORDERSERVICE_TEST_SERVER_ARGS"] = string.Join(' ', arguments);
        if (provider == DatabaseProvider.Postgres)
        {
            // A pool smaller than PostgreSQL's 100 connections: the killed process's sessions
            // may linger for a moment while the restarted one opens its own.
            _environment["ORDERSERVICE_TEST_DB_PROVIDER"] = "Postgres";
            _environment["ORDERSERVICE_TEST_DB_CONNECTION"] = connectionString + $";Maximum Pool Size={settings.MaxPoolSize}";
        }
    }

    /// <summary>How the server processes are started: more command-line settings (no spaces
    /// inside one), on PostgreSQL each process's pool size, and the host's shutdown timeout
    /// (the script's stop then waits 5 s longer before it kills).</summary>
    public sealed record ServerSettings(IReadOnlyList<string> Arguments, int MaxPoolSize = 40, int? ShutdownTimeoutSeconds = null)
    {
        public static readonly ServerSettings Default = new([]);
    }

    public DatabaseProvider Provider { get; }

    /// <summary>The same database the server uses, for the tests' own reads and the seed.</summary>
    public DbContextOptions<OrderDbContext> Database { get; }

    public Uri Address { get; private set; } = null!;

    public string ServerLog => Path.Combine(_state, "server.log");

    private static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OrderService.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("OrderService.sln not found above " + AppContext.BaseDirectory);
        }
    }

    private static string ServerDll
    {
        get
        {
#if DEBUG
            const string configuration = "Debug";
#else
            const string configuration = "Release";
#endif
            return Environment.GetEnvironmentVariable("ORDERSERVICE_SERVER_DLL") is { Length: > 0 } dll
                ? dll
                : Path.Combine(RepositoryRoot, "src", "OrderService.Server", "bin", configuration, "net10.0", "OrderService.Server.dll");
        }
    }

    /// <summary>A new state folder and an empty, migrated database; the server is not started.</summary>
    public static async Task<CrashServer> CreateAsync(DatabaseProvider provider, ServerSettings? settings = null)
    {
        settings ??= ServerSettings.Default;
        var state = Directory.CreateTempSubdirectory("orderservice-crash.").FullName;
        CrashServer server;
        if (provider == DatabaseProvider.Sqlite)
        {
            // No pooling in the test process: the file is not held open between the tests' reads.
            server = new CrashServer(provider, state, $"Data Source={Path.Combine(state, "orders.db")};Pooling=False", null, settings);
        }
        else
        {
            var name = "crash_" + Guid.NewGuid().ToString("N")[..12];
            await using (var admin = new NpgsqlConnection(PostgresServer.ConnectionString))
            {
                await admin.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
                await create.ExecuteNonQueryAsync();
            }

            var connection = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString) { Database = name }.ConnectionString;
            server = new CrashServer(provider, state, connection, name, settings);
        }

        await using (var db = server.OpenDatabase())
        {
            await DatabaseSetup.MigrateAsync(db);
        }

        return server;
    }

    public OrderDbContext OpenDatabase() => new(Database);

    /// <summary>Another server process on this one's database (PostgreSQL: instances share
    /// one), with its own state folder, port and log; not started. The first one drops the
    /// database at the end.</summary>
    public CrashServer AnotherInstance()
    {
        if (Provider != DatabaseProvider.Postgres)
        {
            throw new InvalidOperationException("Only PostgreSQL takes several instances on one database.");
        }

        var state = Directory.CreateTempSubdirectory("orderservice-crash.").FullName;
        return new CrashServer(Provider, state, _connectionString, null, _settings);
    }

    /// <summary>Starts the server (again) and waits until it listens.</summary>
    public async Task StartAsync() => Address = new Uri((await RunScript("start")).Trim());

    /// <summary>SIGKILL: no shutdown, no flush, no goodbye to the clients. Returns once the
    /// process is gone.</summary>
    public Task KillAsync() => RunScript("kill");

    /// <summary>SIGSTOP: the process holds still (answers nothing, commits nothing) until
    /// <see cref="ResumeAsync"/> or <see cref="KillAsync"/>.</summary>
    public Task PauseAsync() => RunScript("pause");

    public Task ResumeAsync() => RunScript("resume");

    /// <summary>SIGTERM, a graceful stop (a paused process is resumed to handle it); returns
    /// how long the process took to go. Throws if it outlived its shutdown timeout and had to
    /// be killed.</summary>
    public async Task<TimeSpan> StopAsync()
    {
        var clock = Stopwatch.StartNew();
        await RunScript("stop");
        return clock.Elapsed;
    }

    /// <summary>A connection that sends exactly what it is given: no request_id filled in, no
    /// retries, so that every answer and every lost call is seen as it is.</summary>
    public OrderServiceConnection Raw(string role, string id) => OrderServiceConnection.CreateRaw(Address, Token(role, id));

    /// <summary>The library's connection, with its reconnects: what a subscriber uses.</summary>
    public OrderServiceConnection Helpful(string role, string id) => OrderServiceConnection.Create(Address, Token(role, id));

    public static string Token(string role, string id) => Commands.MintToken(role, id, TimeSpan.FromHours(1), SigningKey);

    /// <summary>The end of the server's log, for a failure's message.</summary>
    public string LogTail(int lines = 60)
    {
        try
        {
            return string.Join('\n', File.ReadLines(ServerLog).TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no server log)";
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            try
            {
                await RunScript("stop");
            }
            catch (InvalidOperationException)
            {
                // A stop that had to kill: the tests that are about stopping call StopAsync and
                // fail there; at the end of any other test it must not hide the test's result.
                await RunScript("kill");
            }
        }
        finally
        {
            if (_postgresDatabase is not null)
            {
                NpgsqlConnection.ClearAllPools();
                await using var admin = new NpgsqlConnection(PostgresServer.ConnectionString);
                await admin.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresDatabase} WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
            }

            Directory.Delete(_state, recursive: true);
        }
    }

    private static DbContextOptions<OrderDbContext> Options(DatabaseProvider provider, string connectionString)
    {
        var builder = new DbContextOptionsBuilder<OrderDbContext>();
        OrderService.Persistence.DatabaseSetup.Configure(builder, provider, connectionString);
        return builder.Options;
    }

    private async Task<string> RunScript(string command)
    {
        var start = new ProcessStartInfo(Path.Combine(RepositoryRoot, "scripts", "test-server"), command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(ScriptTimeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"test-server {command} did not finish within {ScriptTimeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"test-server {command} failed ({process.ExitCode}): {await errors}");
        }

        return await output;
    }
}
