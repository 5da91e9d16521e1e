using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace OrderService.Bench;

/// <summary>What the numbers were measured on.</summary>
public static class Machine
{
    public static List<(string Name, string Value)> Describe(string repositoryRoot, string? postgresVersion)
    {
        var facts = new List<(string, string)>
        {
            ("CPU", $"{Environment.ProcessorCount} cores, {CpuModel()}"),
            ("Memory", Memory()),
            ("OS", RuntimeInformation.OSDescription),
            (".NET", RuntimeInformation.FrameworkDescription),
            ("SQLite", $"{SqliteVersion()} (Microsoft.Data.Sqlite {Version(typeof(SqliteConnection))})"),
            ("PostgreSQL", postgresVersion is null ? "not run" : $"{postgresVersion} (Npgsql {Version(typeof(Npgsql.NpgsqlConnection))})"),
            ("EF Core", Version(typeof(Microsoft.EntityFrameworkCore.DbContext))),
            ("Grpc.Net.Client", Version(typeof(Grpc.Net.Client.GrpcChannel))),
            ("Source", GitDescription(repositoryRoot)),
            ("Build", ServerProcess.BuildConfiguration == "Release"
                ? "Release (server and bench)"
                : $"{ServerProcess.BuildConfiguration}: not comparable, run with -c Release"),
        };
        return facts;
    }

    /// <summary>The 1-minute load average: other work on the machine shows here.</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    private static string Memory()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            var kb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            return $"{kb / 1024.0 / 1024.0:N1} GiB";
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or FormatException)
        {
            return "?";
        }
    }

    private static string SqliteVersion()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sqlite_version()";
        return $"{command.ExecuteScalar()}";
    }

    private static string Version(Type type)
    {
        var version = type.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? type.Assembly.GetName().Version?.ToString() ?? "?";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus > 0 ? version[..plus] : version;
    }

    private static string GitDescription(string repositoryRoot)
    {
        try
        {
            var commit = Git(repositoryRoot, "rev-parse", "--short", "HEAD");
            var dirty = Git(repositoryRoot, "status", "--porcelain", "--untracked-files=no");
            return string.IsNullOrWhiteSpace(commit) ? "?" : $"commit {commit.Trim()}{(string.IsNullOrWhiteSpace(dirty) ? "" : " with local changes")}";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return "?";
        }
    }

    private static string Git(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit(5_000);
        return process.ExitCode == 0 ? output : "";
    }
}
