using Microsoft.Extensions.Configuration;
using OrderService.Persistence;

namespace OrderService.IntegrationTests.Infrastructure;

/// <summary>The database this test assembly runs on. The same sources build two
/// assemblies: OrderService.IntegrationTests (SQLite, or what ORDERSERVICE_TEST_DATABASE
/// names) and OrderService.IntegrationTests.Postgres (always PostgreSQL, set at build time
/// by the POSTGRES_SUITE symbol), so that one `dotnet test` runs the suite on both.</summary>
public static class TestDatabase
{
    public const string ProviderVariable = "ORDERSERVICE_TEST_DATABASE";

    public static DatabaseProvider Provider { get; } = Choose();

    private static DatabaseProvider Choose()
    {
#if POSTGRES_SUITE
        return DatabaseProvider.Postgres;
#else
        // A Postgres suite built without its symbol would quietly run SQLite twice.
        if (typeof(TestDatabase).Assembly.GetName().Name!.EndsWith(".Postgres", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The Postgres test assembly was built without POSTGRES_SUITE in DefineConstants.");
        }

        return DatabaseSetup.ProviderFrom(new ConfigurationBuilder()
            .AddInMemoryCollection([new("Database:Provider", Environment.GetEnvironmentVariable(ProviderVariable))])
            .Build());
#endif
    }
}
