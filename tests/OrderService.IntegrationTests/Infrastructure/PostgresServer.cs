using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;

namespace OrderService.IntegrationTests.Infrastructure;

/// <summary>The PostgreSQL server the tests run on, one per test process: the one named
/// by ORDERSERVICE_TEST_POSTGRES (a connection string) when that is set, otherwise a
/// throwaway PostgreSQL 15 started from Debian's binaries (/usr/lib/postgresql/15/bin, or
/// ORDERSERVICE_PG_BIN) in a temp folder on a free 127.0.0.1 port. The throwaway server is
/// stopped and its folder deleted when the process exits. Missing binaries or a server that
/// does not start fail every test that needs it, with the reason; nothing is skipped.</summary>
public static class PostgresServer
{
    public const string ServerVariable = "ORDERSERVICE_TEST_POSTGRES";
    public const string BinVariable = "ORDERSERVICE_PG_BIN";
    private const string DefaultBin = "/usr/lib/postgresql/15/bin";
    private const string InstallHint = "Install Debian's PostgreSQL 15 server: apt-get install -y postgresql";

    /// <summary>Started once, on first use. A failure is kept too: every later test gets
    /// the same message at once instead of another start attempt.</summary>
    private static readonly Lazy<string> Server = new(UseGivenOrStart, LazyThreadSafetyMode.ExecutionAndPublication);

    private static Throwaway? _throwaway;

    /// <summary>A connection string to the server (its database is the caller's choice).</summary>
    public static string ConnectionString => Server.Value;

    /// <summary>Stops the throwaway server, if one was started, and deletes its folder. At
    /// the end of the test run (<see cref="TestRunFramework"/>); process exit does it too.</summary>
    public static void StopThrowaway() => Volatile.Read(ref _throwaway)?.Stop();

    private static string UseGivenOrStart()
    {
        var given = Environment.GetEnvironmentVariable(ServerVariable);
        return string.IsNullOrWhiteSpace(given) ? Throwaway.Start() : given;
    }

    private sealed class Throwaway
    {
        private const int PortAttempts = 5;
        private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

        private readonly string _bin;
        private readonly string _folder;

        /// <summary>initdb refuses to run as root: then every binary runs as the
        /// <c>postgres</c> user Debian's package creates, and the folder is theirs.</summary>
        private readonly bool _asPostgresUser = Environment.IsPrivilegedProcess;

        private int _stopped;

        private Throwaway(string bin, string folder)
        {
            _bin = bin;
            _folder = folder;
        }

        private string DataFolder => Path.Combine(_folder, "data");

        private string LogFile => Path.Combine(_folder, "server.log");

        public static string Start()
        {
            if (OperatingSystem.IsWindows())
            {
                throw new PlatformNotSupportedException(
                    $"The throwaway PostgreSQL server is started from Debian's binaries; elsewhere set {ServerVariable} to a connection string of a running server.");
            }

            var bin = Environment.GetEnvironmentVariable(BinVariable) is { Length: > 0 } custom ? custom : DefaultBin;
            if (!File.Exists(Path.Combine(bin, "initdb")) || !File.Exists(Path.Combine(bin, "pg_ctl")))
            {
                throw new InvalidOperationException(
                    $"The PostgreSQL tests start a throwaway PostgreSQL 15 server, but initdb and pg_ctl are not in {bin}. {InstallHint} " +
                    $"(or set {BinVariable} to the folder of the server binaries, or {ServerVariable} to a connection string of a running server).");
            }

            if (Environment.IsPrivilegedProcess && !PostgresUserExists())
            {
                throw new InvalidOperationException(
                    $"The tests run as root, and initdb refuses root, but there is no 'postgres' user to run the server as. {InstallHint}");
            }

            var server = new Throwaway(bin, CreateShortTempFolder());
            Volatile.Write(ref _throwaway, server);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
            try
            {
                return server.InitAndStart();
            }
            catch
            {
                server.Stop();
                throw;
            }
        }

        /// <summary>Under /tmp whatever TMPDIR says: the server's Unix socket
        /// (FOLDER/.s.PGSQL.PORT) must fit in about 107 characters.</summary>
        [UnsupportedOSPlatform("windows")]
        private static string CreateShortTempFolder()
        {
            while (true)
            {
                var folder = $"/tmp/orderservice-pg-{Guid.NewGuid():N}"[..33];
                if (!Directory.Exists(folder))
                {
                    Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                    return folder;
                }
            }
        }

        private static bool PostgresUserExists() =>
            File.Exists("/etc/passwd") && File.ReadLines("/etc/passwd").Any(line => line.StartsWith("postgres:", StringComparison.Ordinal));

        private string InitAndStart()
        {
            if (_asPostgresUser)
            {
                Check(Run("chown", ["postgres:postgres", _folder], asPostgresUser: false), $"chown postgres {_folder}");
            }

            Check(Run(Path.Combine(_bin, "initdb"), ["-D", DataFolder, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"]), "initdb");

            // The port is free when picked but may be taken before the server binds it.
            for (var attempt = 1; ; attempt++)
            {
                var port = FreePort();
                var logLengthBefore = File.Exists(LogFile) ? new FileInfo(LogFile).Length : 0;
                var start = Run(Path.Combine(_bin, "pg_ctl"),
                    ["-D", DataFolder, "-l", LogFile, "-w", "-t", "60", "-o", $"-p {port} -k {_folder} -c listen_addresses=127.0.0.1", "start"]);
                if (start.ExitCode == 0)
                {
                    return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
                }

                var log = ReadLog(logLengthBefore);
                var portTaken = log.Contains("could not bind", StringComparison.OrdinalIgnoreCase)
                    || log.Contains("address already in use", StringComparison.OrdinalIgnoreCase);
                if (!portTaken || attempt == PortAttempts)
                {
                    throw new InvalidOperationException(
                        $"PostgreSQL did not start (pg_ctl exited {start.ExitCode}).\n{start.Output}\nServer log:\n{log}");
                }
            }
        }

        /// <summary>Fast shutdown (ends the sessions the test pools still hold), else
        /// immediate; then the folder goes. Safe to call more than once.</summary>
        public void Stop()
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 1)
            {
                return;
            }

            try
            {
                if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
                {
                    var pgCtl = Path.Combine(_bin, "pg_ctl");
                    if (Run(pgCtl, ["-D", DataFolder, "-m", "fast", "-w", "-t", "30", "stop"]).ExitCode != 0)
                    {
                        Run(pgCtl, ["-D", DataFolder, "-m", "immediate", "-w", "-t", "30", "stop"]);
                    }
                }
            }
            catch (Exception)
            {
                // Best effort at exit: still remove the folder.
            }

            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (Exception)
            {
                // Nothing more to do at exit.
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        private string ReadLog(long from)
        {
            try
            {
                using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                stream.Seek(Math.Min(from, stream.Length), SeekOrigin.Begin);
                using var reader = new StreamReader(stream, Encoding.UTF8);
                return reader.ReadToEnd();
            }
            catch (IOException)
            {
                return "(no server log)";
            }
        }

        private static void Check((int ExitCode, string Output) result, string what)
        {
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"{what} failed (exit {result.ExitCode}):\n{result.Output}");
            }
        }

        /// <summary>Runs a command in the server's folder, as the <c>postgres</c> user when
        /// this process is root, and returns its exit code and output.</summary>
        private (int ExitCode, string Output) Run(string command, IReadOnlyList<string> arguments, bool? asPostgresUser = null)
        {
            var info = new ProcessStartInfo
            {
                WorkingDirectory = _folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            if (asPostgresUser ?? _asPostgresUser)
            {
                info.FileName = "runuser";
                foreach (var argument in new[] { "-u", "postgres", "--", command })
                {
                    info.ArgumentList.Add(argument);
                }
            }
            else
            {
                info.FileName = command;
            }

            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            var commandLine = string.Join(' ', new[] { info.FileName }.Concat(info.ArgumentList));
            using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not run {commandLine}.");
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(CommandTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"{commandLine} did not finish within {CommandTimeout}.");
            }

            process.WaitForExit();
            return (process.ExitCode, $"$ {commandLine}\n{output.Result}{errors.Result}");
        }
    }
}
