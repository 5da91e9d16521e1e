using System.Diagnostics;

namespace OrderService.Client.Tests;

/// <summary>Each kind of configuration mistake stops the real server at start with one
/// readable line and exit code 2, before it touches the database (README, "Configuration").</summary>
public sealed class ConfigurationMistakeTests
{
    [Theory]
    [InlineData("--Database:Provider=Oracle", "Database:Provider 'Oracle' is not one of Sqlite, Postgres, SqlServer.")]
    [InlineData("--Database:Provider=Postgres --Database:ConnectionString=", "Database:ConnectionString is required for Postgres.")]
    [InlineData("--Database:Provider=Postgres --Database:ConnectionString=Data_Source=/tmp/x.db", "Database:ConnectionString is not a Postgres connection string")]
    [InlineData("--Authentication:SigningKey=too-short", "Authentication:SigningKey must be set to at least 32 characters.")]
    [InlineData("--Notifications:HeartbeatInterval=-00:00:01", "Notifications: every interval must be positive")]
    [InlineData("--Notifications:PollInterval=soon", "Failed to convert configuration value 'soon' at 'Notifications:PollInterval' to type 'System.TimeSpan'.")]
    [InlineData("--AutoCancel:BatchSize=0", "AutoCancel: Interval and WarningLeadTime must be positive, BatchSize at least 1.")]
    [InlineData("--RateLimiting:PermitsPerSecond=0", "RateLimiting: PermitsPerSecond and Burst must be at least 1.")]
    public async Task A_mistake_stops_the_start_with_its_message(string arguments, string message)
    {
        var folder = Directory.CreateTempSubdirectory("config-mistake.").FullName;
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = Path.GetDirectoryName(ServerBuild.Dll)!,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.ArgumentList.Add(ServerBuild.Dll);
            start.ArgumentList.Add("--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:0");
            start.ArgumentList.Add($"--Database:ConnectionString=Data Source={Path.Combine(folder, "orders.db")}");
            start.ArgumentList.Add("--Authentication:SigningKey=configuration-test-signing-key-0123456789");
            foreach (var argument in arguments.Split(' '))
            {
                start.ArgumentList.Add(argument.Replace("Data_Source", "Data Source", StringComparison.Ordinal));
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(2, process.ExitCode);
            var text = await errors;
            Assert.Contains("OrderService cannot start: the configuration is invalid.", text);
            Assert.Contains(message, text);
            Assert.DoesNotContain("   at ", text + await output); // no stack trace
            Assert.False(File.Exists(Path.Combine(folder, "orders.db")), "nothing was created before the check");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
