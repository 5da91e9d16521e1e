using System.Diagnostics;
using OrderService.Client;
using OrderService.OrderCtl;

namespace OrderService.Client.Tests;

/// <summary>A real OrderService server process, started and restarted through
/// scripts/test-server (clients/README.md): the tests restart it to prove that a subscriber
/// resumes. Under scripts/client-tests.sh's server (ORDERSERVICE_TEST_URL set) it uses that
/// one instead.</summary>
public sealed class ServerProcess : IAsyncLifetime
{
    private const string DefaultSigningKey = "client-tests-signing-key-0123456789abcdef";
    private readonly Dictionary<string, string> _environment = [];
    private string? _state;

    public Uri Address { get; private set; } = null!;

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

    private string Script => Environment.GetEnvironmentVariable("ORDERSERVICE_TEST_SERVER") is { Length: > 0 } script
        ? script
        : Path.Combine(RepositoryRoot, "scripts", "test-server");

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("ORDERSERVICE_TEST_URL") is { Length: > 0 } url)
        {
            Address = new Uri(url);
            return;
        }

#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        _state = Directory.CreateTempSubdirectory("orderservice-client-tests.").FullName;
        _environment["ORDERSERVICE_TEST_STATE"] = _state;
        _environment["ORDERSERVICE_SERVER_DLL"] = Environment.GetEnvironmentVariable("ORDERSERVICE_SERVER_DLL") is { Length: > 0 } dll
            ? dll
            : Path.Combine(RepositoryRoot, "src", "OrderService.Server", "bin", configuration, "net10.0", "OrderService.Server.dll");
        Address = new Uri((await RunScript("start")).Trim());
    }

    public async Task DisposeAsync()
    {
        if (_state is not null)
        {
            await RunScript("stop");
            Directory.Delete(_state, recursive: true);
        }
    }

    /// <summary>A graceful stop (SIGTERM) and a start on the same port and database.</summary>
    public Task Restart() => RunScript("restart");

    public OrderServiceConnection As(string role, string id) => OrderServiceConnection.Create(Address, Token(role, id));

    public static string Token(string role, string id) => Commands.MintToken(role, id, TimeSpan.FromHours(1),
        Environment.GetEnvironmentVariable("ORDERSERVICE_TEST_SIGNING_KEY") is { Length: > 0 } key ? key : DefaultSigningKey);

    private async Task<string> RunScript(string command)
    {
        var start = new ProcessStartInfo(Script, command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"test-server {command} failed ({process.ExitCode}): {await errors}");
        }

        return await output;
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerProcess>
{
    // One server for every test class of the collection; they run one after the other,
    // so a restart in one never surprises another.
    public const string Name = "server process";
}
