using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrderService.Client;
using OrderService.Persistence;
using OrderService.Server.Access;

namespace OrderService.IntegrationTests.Infrastructure;

/// <summary>One in-process server on a fresh database for the whole test run. The
/// database is SQLite (a temporary file) or PostgreSQL (a new database on
/// <see cref="PostgresServer"/>), as <see cref="TestDatabase.Provider"/> says. Tests
/// isolate themselves by using their own order, seller and buyer ids. A test that needs
/// a database of its own or a clock it controls starts one with
/// <see cref="StartIsolatedAsync"/>.</summary>
public sealed class ServerFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public static readonly TokenSettings Tokens = new() { SigningKey = "integration-test-signing-key-0123456789-abcdef" };

    /// <summary>Notification timings short enough for tests to observe heartbeats and
    /// polling within a second.</summary>
    private static readonly Dictionary<string, string?> TestSettings = new()
    {
        ["Notifications:PollInterval"] = "00:00:00.200",
        ["Notifications:HeartbeatInterval"] = "00:00:00.500",
    };

    private readonly string _connectionString;
    private readonly string? _sqliteFolder;
    private readonly bool _ownsDatabase = true;
    private readonly Dictionary<string, string?> _settings = new(TestSettings);
    private readonly TimeProvider? _clock;
    private readonly Action<IServiceCollection>? _configureServices;
    private bool _disposed;

    /// <summary>Another server instance on the same database (a second replica, or the
    /// same service after a restart), with settings of its own.</summary>
    private ServerFixture(ServerFixture sibling, IReadOnlyDictionary<string, string?> settings)
    {
        Provider = sibling.Provider;
        _connectionString = sibling._connectionString;
        _ownsDatabase = false;
        _clock = sibling._clock;
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
    }

    public ServerFixture()
    {
        Provider = TestDatabase.Provider;
        switch (Provider)
        {
            case DatabaseProvider.Sqlite:
                _sqliteFolder = Directory.CreateTempSubdirectory("orderservice-tests-").FullName;
                _connectionString = $"Data Source={Path.Combine(_sqliteFolder, "orders.db")}";
                break;
            case DatabaseProvider.Postgres:
                _connectionString = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString)
                {
                    Database = $"orderservice_test_{Guid.NewGuid():N}"[..40],
                }.ConnectionString;
                break;
            default:
                throw new InvalidOperationException($"The tests do not run on {Provider}.");
        }
    }

    /// <summary>A server on a fresh database of its own (removed when it is disposed),
    /// with the server's clock replaced by <paramref name="clock"/>.</summary>
    private ServerFixture(TimeProvider? clock, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configureServices)
        : this()
    {
        _clock = clock;
        _configureServices = configureServices;
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
    }

    public DatabaseProvider Provider { get; }

    /// <summary>The server's clock: the one given to <see cref="StartIsolatedAsync"/>, or
    /// the system clock.</summary>
    public TimeProvider Clock => _clock ?? TimeProvider.System;

    /// <summary>Where the database lives, for tests of this fixture itself.</summary>
    internal string ConnectionString => _connectionString;

    /// <summary>Starts a server on a fresh database of its own, like the shared one but
    /// isolated from every other test: for tests that change server-wide state (a clock, a
    /// background pass over every order). <paramref name="clock"/>, when given, replaces the
    /// server's <see cref="TimeProvider"/> (a FakeTimeProvider lets the test move time).
    /// <paramref name="services"/>, when given, adds to the server's services after Program's
    /// own (a log capture, an in-memory telemetry exporter, a replaced service).
    /// Dispose it (<c>await using</c>) to stop it and delete its database.</summary>
    public static async Task<ServerFixture> StartIsolatedAsync(
        TimeProvider? clock = null, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var isolated = new ServerFixture(clock, settings ?? new Dictionary<string, string?>(), services);
        try
        {
            await isolated.InitializeAsync();
        }
        catch
        {
            try
            {
                await isolated.DisposeAsync();
            }
            catch (Exception)
            {
                // Best effort: the start failure is the one worth reporting.
            }

            throw;
        }

        return isolated;
    }

    /// <summary>Starts another instance on this fixture's database. Dispose it to stop it.</summary>
    public async Task<ServerFixture> StartSiblingAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var sibling = new ServerFixture(this, settings ?? new Dictionary<string, string?>());
        await sibling.InitializeAsync();
        return sibling;
    }

    /// <summary>A connection whose calls carry a token for the role and id. With a clock
    /// of the test's own, the token is valid from before the earlier of the real time and
    /// the clock's until long after both, so that it is accepted whichever clock the token
    /// validation reads and however far the test moves its clock.</summary>
    public OrderServiceConnection As(string role, string id)
    {
        var token = _clock is null
            ? TokenMinter.Mint(Tokens, role, id, TimeSpan.FromHours(1), DateTimeOffset.UtcNow)
            : MintForBothClocks(role, id);
        return OrderServiceConnection.CreateRaw(Server.BaseAddress, token, Server.CreateHandler());
    }

    private string MintForBothClocks(string role, string id)
    {
        var real = DateTimeOffset.UtcNow;
        var fake = _clock!.GetUtcNow();
        var earliest = (real < fake ? real : fake).AddHours(-1);
        var span = (real - fake).Duration();
        return TokenMinter.Mint(Tokens, role, id, span + TimeSpan.FromDays(120), earliest);
    }

    public OrderServiceConnection Marketplace() => As("marketplace", "intake-service");

    public OrderServiceConnection Seller(string sellerId) => As("seller", sellerId);

    public OrderServiceConnection Buyer(string buyerId) => As("buyer", buyerId);

    /// <summary>A connection with the given raw token, or none.</summary>
    public OrderServiceConnection WithToken(string? token) =>
        OrderServiceConnection.CreateRaw(Server.BaseAddress, token, Server.CreateHandler());

    /// <summary>Runs a query against the server's database, as the server sees it.</summary>
    public async Task<T> QueryDatabaseAsync<T>(Func<OrderDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<OrderDbContext>());
    }

    public Task InitializeAsync()
    {
        _ = Server; // start the host (and migrate) before the first test
        return Task.CompletedTask;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    /// <summary>Stops the server and, when this fixture created its database (the shared
    /// one, an isolated one; not a sibling), deletes it. Both the xunit fixture path and
    /// <c>await using</c> end here.</summary>
    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (Provider == DatabaseProvider.Postgres && _ownsDatabase)
        {
            await using var scope = Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<OrderDbContext>().Database.EnsureDeletedAsync();
        }

        await base.DisposeAsync();
        if (_sqliteFolder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_sqliteFolder, recursive: true);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Provider.ToString());
        builder.UseSetting("Database:ConnectionString", _connectionString);
        builder.UseSetting("Authentication:SigningKey", Tokens.SigningKey);
        builder.UseSetting("Authentication:Issuer", Tokens.Issuer);
        builder.UseSetting("Authentication:Audience", Tokens.Audience);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_clock is { } clock)
        {
            // With minimal hosting these callbacks run when Program calls builder.Build(),
            // after Program's own registrations: this one is the last TimeProvider
            // registered, so it is the one every service resolves (a fixture test checks).
            builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(clock));
        }

        if (_configureServices is { } configureServices)
        {
            builder.ConfigureServices(configureServices);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}
