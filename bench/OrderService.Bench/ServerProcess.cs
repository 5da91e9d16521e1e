using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace OrderService.Bench;

/// <summary>The real server, started as a separate process from its Release build: Production
/// environment, logging at Warning, automatic cancellation off (it would change orders under
/// the load), listening on 127.0.0.1 only. Killed by <see cref="Dispose"/> or by
/// <see cref="Cleanup"/>.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly IDisposable _cleanup;
    private readonly Queue<string> _tail = new();
    private readonly StreamWriter _log;
    private bool _closed;

    private ServerProcess(Process process, Uri address, string logFile, StreamWriter log)
    {
        _process = process;
        Address = address;
        LogFile = logFile;
        _log = log;
        _cleanup = Cleanup.Register("server process", Kill);
    }

    public Uri Address { get; }

    public string LogFile { get; }

    public int Id => _process.Id;

    /// <summary>The configuration the bench (and so the server next to it) was built in.</summary>
    public static string BuildConfiguration => typeof(ServerProcess).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
        .Cast<System.Reflection.AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "BuildConfiguration")?.Value ?? "?";

    /// <summary>The Release build of src/OrderService.Server that was built with the bench
    /// (recorded in this assembly at build time), or the one given.</summary>
    public static string Locate(string? given)
    {
        var path = given ?? typeof(ServerProcess).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .First(a => a.Key == "ServerAssembly").Value!;
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException(
                $"The server build {path} does not exist. Build it: dotnet build src/OrderService.Server -c Release " +
                "(running the bench with `dotnet run -c Release --project bench/OrderService.Bench` builds it).");
    }

    public static async Task<ServerProcess> StartAsync(
        string serverDll, string provider, string connectionString, string signingKey, string logFile, CancellationToken cancellationToken)
    {
        var port = PostgresServer.FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet")
        {
            // The content root: appsettings.json (Kestrel's Http2-only endpoint) is read from here.
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in new[]
        {
            serverDll,
            $"--Kestrel:Endpoints:Grpc:Url={address.ToString().TrimEnd('/')}",
            "--Kestrel:Endpoints:Grpc:Protocols=Http2",
            // The bench speaks gRPC only: the HTTP/JSON endpoint on any free port, never 5081.
            "--Kestrel:Endpoints:Http:Url=http://127.0.0.1:0",
            $"--Database:Provider={provider}",
            $"--Database:ConnectionString={connectionString}",
            "--Database:MigrateOnStartup=true",
            // The bench measures capacity: one caller makes thousands of calls a second.
            "--RateLimiting:Enabled=false",
            $"--Authentication:SigningKey={signingKey}",
            "--AutoCancel:Enabled=false",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.AspNetCore=Warning",
            "--Logging:LogLevel:Microsoft.EntityFrameworkCore=Warning",
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        var log = new StreamWriter(logFile) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var server = new ServerProcess(process, address, logFile, log);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitReadyAsync(cancellationToken);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>CPU time the server has used so far (user + system).</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>The server's peak resident memory (VmHWM), in bytes; 0 when unknown.</summary>
    public long PeakRss() => Memory("VmHWM:");

    /// <summary>The server's resident memory now (VmRSS), in bytes; 0 when unknown.</summary>
    public long Rss() => Memory("VmRSS:");

    private long Memory(string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>Waits until the server uses less than 10 % of a core over half a second (it
    /// may still be working on calls whose clients gave up), at most <paramref name="limit"/>.
    /// Returns how long it took, or null when it was still busy at the limit.</summary>
    public async Task<TimeSpan?> SettleAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var before = CpuTime();
            await Task.Delay(500, cancellationToken);
            if ((CpuTime() - before).TotalSeconds / 0.5 < 0.10)
            {
                return clock.Elapsed;
            }
        }

        return null;
    }

    public string Tail() => string.Join('\n', _tail);

    public bool HasExited => _process.HasExited;

    public void Dispose() => _cleanup.Dispose();

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            if (_closed)
            {
                return;
            }

            _log.WriteLine(line);
            _tail.Enqueue(line);
            while (_tail.Count > 40)
            {
                _tail.Dequeue();
            }
        }
    }

    /// <summary>Ready when the health service answers anything but "unavailable".</summary>
    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        using var channel = GrpcChannel.ForAddress(Address);
        var health = new Health.HealthClient(channel);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {_process.ExitCode} while starting:\n{Tail()}");
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(120))
            {
                throw new TimeoutException($"The server did not answer within 120 s:\n{Tail()}");
            }

            try
            {
                await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: cancellationToken);
                return;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal)
            {
                await Task.Delay(200, cancellationToken);
            }
            catch (RpcException)
            {
                return; // it answered
            }
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        finally
        {
            lock (_tail)
            {
                _closed = true;
                _log.Dispose();
            }

            _process.Dispose();
        }
    }
}
