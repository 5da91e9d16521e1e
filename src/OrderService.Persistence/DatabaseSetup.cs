using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OrderService.Persistence;

/// <summary>The database providers the service runs on.</summary>
public enum DatabaseProvider
{
    /// <summary>Embedded, the default: a file, created on first run.</summary>
    Sqlite,
    /// <summary>The production server; several instances may share one database.</summary>
    Postgres,
    /// <summary>Supported; its migrations are generated and kept, no server runs in CI.</summary>
    SqlServer,
}

/// <summary>Picks the provider and its migrations assembly from configuration
/// (<c>Database:Provider</c>, <c>Database:ConnectionString</c>).</summary>
public static class DatabaseSetup
{
    public const string DefaultSqliteConnectionString = "Data Source=data/orderservice.db";

    public static DatabaseProvider ProviderFrom(IConfiguration configuration)
    {
        var value = configuration["Database:Provider"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return DatabaseProvider.Sqlite;
        }

        return Enum.TryParse<DatabaseProvider>(value, ignoreCase: true, out var provider)
            ? provider
            : throw new InvalidOperationException(
                $"Database:Provider '{value}' is not one of {string.Join(", ", Enum.GetNames<DatabaseProvider>())}.");
    }

    /// <summary>Registers <see cref="OrderDbContext"/> for the configured provider. The
    /// configuration is read when the first context is made, so hosts and test factories
    /// may still change it after registration.</summary>
    public static IServiceCollection AddOrderDatabase(this IServiceCollection services)
    {
        // Contexts come from a pool: a call leases one instead of building a context, its
        // services and its change tracker anew.
        services.AddPooledDbContextFactory<OrderDbContext>((serviceProvider, options) =>
        {
            var configuration = serviceProvider.GetRequiredService<IConfiguration>();
            var provider = ProviderFrom(configuration);
            Configure(options, provider, ConnectionStringFrom(configuration, provider));
        });
        services.AddScoped(serviceProvider => serviceProvider.GetRequiredService<IDbContextFactory<OrderDbContext>>().CreateDbContext()
            .Use(serviceProvider.GetService<EventLogSignal>(), serviceProvider.GetService<IOrderViewRenderer>(),
                serviceProvider.GetService<ICommittedEventsObserver>()));
        services.AddSingleton<PassLocks>();
        return services;
    }

    public static string ConnectionStringFrom(IConfiguration configuration, DatabaseProvider provider)
    {
        var connectionString = configuration["Database:ConnectionString"];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return connectionString;
        }

        return provider == DatabaseProvider.Sqlite
            ? DefaultSqliteConnectionString
            : throw new InvalidOperationException($"Database:ConnectionString is required for {provider}.");
    }

    /// <summary>Parses <paramref name="connectionString"/> with the provider's own builder,
    /// without connecting: an ArgumentException names what the provider does not take.</summary>
    public static void CheckConnectionString(DatabaseProvider provider, string connectionString)
    {
        _ = provider switch
        {
            DatabaseProvider.Sqlite => new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).ConnectionString,
            DatabaseProvider.Postgres => new Npgsql.NpgsqlConnectionStringBuilder(connectionString).ConnectionString,
            DatabaseProvider.SqlServer => new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(connectionString).ConnectionString,
            _ => throw new ArgumentOutOfRangeException(nameof(provider)),
        };
    }

    /// <summary>The PostgreSQL connection string with the pool settings the service relies on,
    /// unless the operator set them: statements it runs often are prepared once per
    /// connection (Max Auto Prepare), and a connection returned to the pool is not reset with
    /// DISCARD ALL (No Reset On Close), which would also drop those prepared statements. The
    /// service sets no session state that a reset would need to clear.</summary>
    public static string TunedForPostgres(string connectionString)
    {
        // The keywords as written by the operator (the builder would report defaults too).
        var written = connectionString.Split(';').Select(part => part.Split('=')[0].Replace(" ", "", StringComparison.Ordinal))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        Npgsql.NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            return connectionString; // not one Npgsql understands: it says so when it connects
        }

        if (!written.Contains("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 64;
        }

        if (!written.Contains("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    public static void Configure(DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString)
    {
        // An order owns several collections (items, shipments, cancellations): one query
        // per collection instead of one cartesian join.
        _ = provider switch
        {
            DatabaseProvider.Sqlite => options.UseSqlite(connectionString, sqlite => sqlite
                .MigrationsAssembly("OrderService.Persistence.Sqlite")
                .UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery))
                .AddInterceptors(SqliteConnectionTuning.Instance),
            DatabaseProvider.Postgres => options.UseNpgsql(TunedForPostgres(connectionString), npgsql => npgsql
                .MigrationsAssembly("OrderService.Persistence.Postgres")
                .UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery)),
            DatabaseProvider.SqlServer => options.UseSqlServer(connectionString, sqlServer => sqlServer
                .MigrationsAssembly("OrderService.Persistence.SqlServer")
                .UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery)),
            _ => throw new ArgumentOutOfRangeException(nameof(provider)),
        };
    }

    /// <summary>Applies pending migrations. For SQLite, creates the file's folder first and
    /// turns on WAL so that readers never wait for the writer.</summary>
    public static async Task MigrateAsync(OrderDbContext db, CancellationToken cancellationToken = default)
    {
        if (db.Database.IsSqlite())
        {
            var dataSource = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
            if (!string.IsNullOrEmpty(folder) && dataSource != ":memory:")
            {
                Directory.CreateDirectory(folder);
            }
        }

        await db.Database.MigrateAsync(cancellationToken);

        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }
}
