using Microsoft.Extensions.Options;
using OrderService.Persistence;

namespace OrderService.Server;

/// <summary>The Database section, checked when the server starts rather than at the first
/// call that needs the database (with Database:MigrateOnStartup=false that could be hours
/// later).</summary>
public sealed class DatabaseConfiguration;

public sealed class DatabaseConfigurationCheck(IConfiguration configuration) : IValidateOptions<DatabaseConfiguration>
{
    public ValidateOptionsResult Validate(string? name, DatabaseConfiguration options)
    {
        DatabaseProvider provider;
        string connectionString;
        try
        {
            provider = DatabaseSetup.ProviderFrom(configuration);
            connectionString = DatabaseSetup.ConnectionStringFrom(configuration, provider);
        }
        catch (InvalidOperationException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }

        try
        {
            DatabaseSetup.CheckConnectionString(provider, connectionString);
            return ValidateOptionsResult.Success;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            return ValidateOptionsResult.Fail($"Database:ConnectionString is not a {provider} connection string: {e.Message}");
        }
    }
}

/// <summary>How a configuration mistake is told to whoever starts the server: one line per
/// mistake on standard error, exit code 2, not a stack trace.</summary>
public static class ConfigurationChecks
{
    public const int ExitCode = 2;

    public static IServiceCollection AddDatabaseConfigurationCheck(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<DatabaseConfiguration>, DatabaseConfigurationCheck>();
        services.AddOptions<DatabaseConfiguration>().ValidateOnStart();
        return services;
    }

    /// <summary>The mistakes an exception from building or starting the host reports, or null
    /// when it is not a configuration mistake.</summary>
    public static IReadOnlyList<string>? Mistakes(Exception exception) => exception switch
    {
        OptionsValidationException invalid => [.. invalid.Failures],
        AggregateException many when many.InnerExceptions.All(e => Mistakes(e) is not null) =>
            [.. many.InnerExceptions.SelectMany(e => Mistakes(e)!)],
        // The binder's words name the key and the type: "Failed to convert configuration value
        // at 'Notifications:HeartbeatInterval' to type 'System.TimeSpan'."
        InvalidOperationException binding when binding.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) =>
            [binding.Message],
        _ => null,
    };

    public static int Report(IReadOnlyList<string> mistakes)
    {
        Console.Error.WriteLine("OrderService cannot start: the configuration is invalid.");
        foreach (var mistake in mistakes)
        {
            Console.Error.WriteLine($"  - {mistake}");
        }

        Console.Error.WriteLine("Set these in appsettings.json, as environment variables (Database__Provider) or on the command line (--Database:Provider=...); see the README, \"Configuration\".");
        return ExitCode;
    }
}
