using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrderService.Client;
using OrderService.Persistence;
using OrderService.Server.Access;

namespace OrderService.IntegrationTests.Infrastructure;

/// <summary>One in-process server on a fresh database for the whole test run. The
/// database is SQLite (a temporary file) or PostgreSQL (a new database on the server
/// named by ORDERSERVICE_TEST_POSTGRES), chosen by ORDERSERVICE_TEST_DATABASE. Tests
/// isolate themselves by using their own order, seller and buyer ids.</summary>
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

    /// <summary>Another server instance on the same database (a second replica, or the
    /// same service after a restart), with settings of its own.</summary>
    private ServerFixture(ServerFixture sibling, IReadOnlyDictionary<string, string?> settings)
    {
        Provider = sibling.Provider;
        _connectionString = sibling._connectionString;
        _ownsDatabase = false;
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
    }

    public ServerFixture()
    {
        Provider = DatabaseSetup.ProviderFrom(new ConfigurationBuilder()
            .AddInMemoryCollection([new("Database:Provider", Environment.GetEnvironmentVariable("ORDERSERVICE_TEST_DATABASE"))])
            .Build());
        switch (Provider)
        {
            case DatabaseProvider.Sqlite:
                _sqliteFolder = Directory.CreateTempSubdirectory("orderservice-tests-").FullName;
                _connectionString = $"Data Source={Path.Combine(_sqliteFolder, "orders.db")}";
                break;
            case DatabaseProvider.Postgres:
                var server = Environment.GetEnvironmentVariable("ORDERSERVICE_TEST_POSTGRES");
                if (string.IsNullOrWhiteSpace(server))
                {
                    throw new InvalidOperationException(
                        "ORDERSERVICE_TEST_DATABASE=Postgres needs ORDERSERVICE_TEST_POSTGRES, a connection string to a PostgreSQL server (scripts/test.sh starts one).");
                }

                _connectionString = new NpgsqlConnectionStringBuilder(server)
                {
                    Database = $"orderservice_test_{Guid.NewGuid():N}"[..40],
                }.ConnectionString;
                break;
            default:
                throw new InvalidOperationException($"The tests do not run on {Provider}.");
        }
    }

    public DatabaseProvider Provider { get; }

    /// <summary>Starts another instance on this fixture's database. Dispose it to stop it.</summary>
    public async Task<ServerFixture> StartSiblingAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var sibling = new ServerFixture(this, settings ?? new Dictionary<string, string?>());
        await sibling.InitializeAsync();
        return sibling;
    }

    /// <summary>A connection whose calls carry a token for the role and id.</summary>
    public OrderServiceConnection As(string role, string id) =>
        OrderServiceConnection.Create(Server.BaseAddress, TokenMinter.Mint(Tokens, role, id, TimeSpan.FromHours(1), DateTimeOffset.UtcNow), Server.CreateHandler());

    public OrderServiceConnection Marketplace() => As("marketplace", "intake-service");

    public OrderServiceConnection Seller(string sellerId) => As("seller", sellerId);

    public OrderServiceConnection Buyer(string buyerId) => As("buyer", buyerId);

    /// <summary>A connection with the given raw token, or none.</summary>
    public OrderServiceConnection WithToken(string? token) =>
        OrderServiceConnection.Create(Server.BaseAddress, token, Server.CreateHandler());

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

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (Provider == DatabaseProvider.Postgres && _ownsDatabase)
        {
            await using var scope = Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<OrderDbContext>().Database.EnsureDeletedAsync();
        }

        await DisposeAsync();
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
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}
