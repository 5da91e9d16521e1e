using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using OrderService.Bench;
using OrderService.Persistence;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}\n\n{BenchOptions.Usage}");
    return 2;
}

if (options.Help)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

Cleanup.Install();
var cancellationToken = Cleanup.Token;
var total = Stopwatch.StartNew();
// The command as run, without a connection string's secrets.
var shown = args.Select((a, i) => i > 0 && args[i - 1] == "--postgres-connection" ? "CONNECTION" : Quote(a)).ToList();
var commandLine = "dotnet run -c Release --project bench/OrderService.Bench" + (shown.Count > 0 ? " -- " + string.Join(' ', shown) : "");
void Log(string message) => Console.Error.WriteLine($"[{total.Elapsed:mm\\:ss}] {message}");

var sections = new List<Section>();
var failed = false;
string? postgresVersion = null;
var loadAtStart = Machine.LoadAverage();
try
{
    var serverDll = ServerProcess.Locate(options.ServerDll);
    var repositoryRoot = RepositoryRoot(serverDll);
    var work = Directory.CreateTempSubdirectory("osbench-").FullName;
    using var workCleanup = Cleanup.Register("work folder", () =>
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(work, recursive: true);
    });
    Log($"server: {serverDll}");
    if (ServerProcess.BuildConfiguration != "Release")
    {
        Log($"warning: this is a {ServerProcess.BuildConfiguration} build; measure with dotnet run -c Release");
    }

    Log($"work folder: {work}");

    PostgresServer? postgres = null;
    try
    {
        foreach (var database in options.Databases)
        {
            if (database == "postgres" && postgres is null)
            {
                postgres = options.PostgresConnection is { } external
                    ? PostgresServer.External(external)
                    : await PostgresServer.StartAsync(Log, cancellationToken);
                postgresVersion = await postgres.VersionAsync(cancellationToken);
            }

            foreach (var size in options.Sizes)
            {
                var section = new Section(database == "sqlite" ? "SQLite" : "PostgreSQL", size);
                sections.Add(section);
                try
                {
                    await RunSectionAsync(section, database, size, postgres, serverDll, work);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    failed = true;
                    section.Notes.Add($"The run of this section failed: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
                    Log($"{section.Title} failed: {e}");
                }

                Console.WriteLine();
                Console.WriteLine(Report.Text(section));
            }
        }
    }
    finally
    {
        postgres?.Dispose();
    }

    var markdown = Summary(repositoryRoot, markdown: true);
    Console.WriteLine(Summary(repositoryRoot, markdown: false));
    if (options.MarkdownFile is { } file)
    {
        Report.WriteMarkdown(file, markdown);
        Log($"wrote {file}");
    }
}
catch (Exception) when (cancellationToken.IsCancellationRequested)
{
    Log("cancelled");
    Cleanup.RunAll();
    return 130;
}
catch (Exception e)
{
    Log($"failed: {e}");
    Cleanup.RunAll();
    return 1;
}
finally
{
    Cleanup.RunAll();
}

return failed ? 1 : 0;

async Task RunSectionAsync(Section section, string database, int size, PostgresServer? postgres, string serverDll, string work)
{
    var provider = database == "sqlite" ? DatabaseProvider.Sqlite : DatabaseProvider.Postgres;
    var databaseName = $"osbench_{size}_{Guid.NewGuid():N}"[..30];
    var connectionString = provider == DatabaseProvider.Sqlite
        ? $"Data Source={Path.Combine(work, databaseName + ".db")}"
        : postgres!.Database(databaseName);
    using var dropDatabase = Cleanup.Register($"database {databaseName}", () =>
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in Directory.GetFiles(work, databaseName + ".db*"))
            {
                File.Delete(file);
            }
        }
        else
        {
            postgres!.DropDatabaseAsync(databaseName, CancellationToken.None).GetAwaiter().GetResult();
        }
    });

    Log($"{section.Title}: seeding...");
    var data = await Seeder.SeedAsync(provider, connectionString, size, options.Sellers, options.Seed, m => Log($"  {m}"), cancellationToken);
    Npgsql.NpgsqlConnection.ClearAllPools();
    SqliteConnection.ClearAllPools();
    Log($"{section.Title}: seeded {data.Orders.Count:N0} orders in {data.Took.TotalSeconds:N1} s");
    section.Notes.Add($"Seeded {data.Orders.Count:N0} UNSHIPPED orders (2-3 items each, {data.OfSeller(data.BigSeller).Count():N0} of them the big seller's, the rest over {data.Sellers.Count - 1} sellers) and their {2 * data.Orders.Count:N0} events in {data.Took.TotalSeconds:N1} s.");

    var tokens = new Tokens(Tokens.NewSigningKey());
    using var server = await ServerProcess.StartAsync(
        serverDll, provider.ToString(), connectionString, tokens.SigningKey, Path.Combine(work, $"server-{databaseName}.log"), cancellationToken);
    Log($"{section.Title}: server {server.Id} listening on {server.Address}");
    using var run = new BenchRun(options, server, data, tokens, section, Log, cancellationToken);
    try
    {
        await run.RunAllAsync();
    }
    finally
    {
        section.Notes.Add($"Server peak resident memory {server.PeakRss() / 1024.0 / 1024.0:N0} MiB.");
        if (server.HasExited)
        {
            section.Notes.Add($"The server exited during the run; its last output:\n{server.Tail()}");
        }
    }
}

string Summary(string repositoryRoot, bool markdown)
{
    var text = new StringBuilder();
    var facts = Machine.Describe(repositoryRoot, postgresVersion);
    facts.Add(("Load average", $"{loadAtStart} at the start, {Machine.LoadAverage()} at the end (1 minute; above 0 means other work shared the cores)"));
    facts.Add(("Command", commandLine));
    facts.Add(("Took", $"{total.Elapsed.TotalMinutes:N1} minutes, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"));
    var checks = TargetChecks();
    if (markdown)
    {
        text.AppendLine().AppendLine("| Machine | |").AppendLine("|---|---|");
        foreach (var (name, value) in facts)
        {
            text.AppendLine($"| {name} | {(name == "Command" ? $"`{value}`" : value)} |");
        }

        text.AppendLine();
        if (checks.Count > 0)
        {
            var databases = sections.Select(s => s.Database).Distinct().ToList();
            text.AppendLine($"#### Targets at {sections.Max(s => s.Orders):N0} orders").AppendLine();
            text.AppendLine($"| Target | {string.Join(" | ", databases)} |");
            text.AppendLine($"|---|{string.Join("|", databases.Select(_ => "---"))}|");
            foreach (var (target, cells) in checks)
            {
                text.AppendLine($"| {target} | {string.Join(" | ", databases.Select(d => cells.GetValueOrDefault(d, "-")))} |");
            }

            text.AppendLine();
        }

        foreach (var section in sections)
        {
            text.Append(Report.Markdown(section));
        }
    }
    else
    {
        text.AppendLine("== Machine");
        foreach (var (name, value) in facts)
        {
            text.AppendLine($"{name,-16}{value}");
        }

        if (checks.Count > 0)
        {
            text.AppendLine().AppendLine($"== Targets at {sections.Max(s => s.Orders):N0} orders");
            foreach (var (target, cells) in checks)
            {
                text.AppendLine($"{target}");
                foreach (var (database, cell) in cells)
                {
                    text.AppendLine($"    {database,-12}{cell}");
                }
            }
        }
    }

    return text.ToString();
}

/// <summary>The "Done when" list of the issue, checked on the largest size of each database.</summary>
List<(string Target, Dictionary<string, string> Cells)> TargetChecks()
{
    var checks = new List<(string, Dictionary<string, string>)>();
    if (sections.Count == 0)
    {
        return checks;
    }

    var largest = sections.Max(s => s.Orders);
    var smallest = sections.Min(s => s.Orders);
    var byTarget = new Dictionary<string, Dictionary<string, string>>();
    var order = new List<string>();
    void Put(string target, string database, string cell)
    {
        if (!byTarget.TryGetValue(target, out var cells))
        {
            byTarget[target] = cells = [];
            order.Add(target);
        }

        cells[database] = cell;
    }

    foreach (var section in sections.Where(s => s.Orders == largest))
    {
        foreach (var row in section.Rows.Where(r => r.Target is not ("" or "-")))
        {
            var (target, verdict) = row.Target.IndexOf(':') is var colon and > 0
                ? (row.Target[..colon], row.Target[(colon + 1)..].Trim())
                : (row.Target, "");
            Put($"{Scenario(row.Scenario)}: {target}", section.Database, verdict);
        }

        var small = sections.FirstOrDefault(s => s.Database == section.Database && s.Orders == smallest && s != section);
        var getLarge = section.Rows.FirstOrDefault(r => r.Scenario == "GetOrder");
        var getSmall = small?.Rows.FirstOrDefault(r => r.Scenario == "GetOrder");
        if (getLarge?.Rate is > 0 && getSmall?.Rate is > 0)
        {
            var share = getLarge.Rate.Value / getSmall.Rate.Value;
            Put($"GetOrder: rate at {largest:N0} within 20 % of {smallest:N0}", section.Database,
                share >= 0.8 ? $"met ({share:P0})" : $"missed: {share:P1} of the rate at {smallest:N0} ({Report.Number(getLarge.Rate)}/s vs {Report.Number(getSmall.Rate)}/s)");
        }
    }

    foreach (var target in order)
    {
        checks.Add((target, byTarget[target]));
    }

    return checks;
}

static string Scenario(string scenario) =>
    scenario.StartsWith("Feed", StringComparison.Ordinal) ? scenario.Replace(",", "")
    : scenario.StartsWith("Fan-out", StringComparison.Ordinal) ? "Fan-out"
    : scenario.StartsWith("Idle", StringComparison.Ordinal) ? "Idle subscribers"
    : scenario;

static string RepositoryRoot(string serverDll)
{
    for (var folder = new DirectoryInfo(Path.GetDirectoryName(serverDll)!); folder is not null; folder = folder.Parent)
    {
        if (File.Exists(Path.Combine(folder.FullName, "OrderService.sln")))
        {
            return folder.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}

static string Quote(string argument) =>
    argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_.,/:=".Contains(c)) ? argument : $"'{argument}'";
