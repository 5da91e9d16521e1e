using System.Globalization;

namespace OrderService.Bench;

/// <summary>The command line. Every option has a default, so the bare command runs the
/// standard bench on SQLite at 1,000 and 100,000 orders.</summary>
public sealed class BenchOptions
{
    public const string Usage = """
        OrderService bench: starts the real server on a seeded database and drives it over loopback.

        usage: dotnet run -c Release --project bench/OrderService.Bench -- [options]

          --db LIST                 sqlite, postgres or sqlite,postgres (default: sqlite)
          --postgres                the same as --db postgres
          --postgres-connection CS  use this PostgreSQL server (a database per size is created
                                    and dropped) instead of starting a throwaway one
          --orders LIST             database sizes, orders seeded (default: 1000,100000)
          --duration SECONDS        measured time of each load scenario (default: 5)
          --warmup SECONDS          warm-up before each load scenario (default: 1)
          --concurrency N           concurrent callers at saturation (default: 64)
          --connections N           HTTP/2 connections the callers share (default: 8)
          --subscribers N           notification streams of the fan-out (default: 1000)
          --fanout-rate N           writes per second during the fan-out (default: 200)
          --fanout-seconds SECONDS  how long the fan-out writes (default: 10)
          --idle-seconds SECONDS    how long the idle subscribers are watched (default: 10)
          --feed-lines LIST         cancellation feed sizes (default: 10000,20000)
          --feed-budget SECONDS     skip a feed that the previous one projects (linearly) to take
                                    longer than this; 0: never skip (default: 180)
          --sellers N               sellers the orders are spread over (default: 100)
          --scenarios LIST          run only these (names as printed, case-insensitive prefixes)
          --markdown FILE           also write the tables as Markdown; when FILE has the markers
                                    <!-- bench:begin --> and <!-- bench:end -->, only the text
                                    between them is replaced
          --server-dll PATH         the server to start (default: the build made with the bench)
          --seed N                  random seed of the data and the load (default: 8)
          --help                    this text
        """;

    public List<string> Databases { get; private set; } = ["sqlite"];

    public string? PostgresConnection { get; private set; }

    public List<int> Sizes { get; private set; } = [1_000, 100_000];

    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(5);

    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(1);

    public int Concurrency { get; private set; } = 64;

    public int Connections { get; private set; } = 8;

    public int Subscribers { get; private set; } = 1_000;

    public int FanoutRate { get; private set; } = 200;

    public TimeSpan FanoutDuration { get; private set; } = TimeSpan.FromSeconds(10);

    public TimeSpan IdleDuration { get; private set; } = TimeSpan.FromSeconds(10);

    public List<int> FeedLines { get; private set; } = [10_000, 20_000];

    public TimeSpan FeedBudget { get; private set; } = TimeSpan.FromSeconds(180);

    public int Sellers { get; private set; } = 100;

    public List<string> Scenarios { get; private set; } = [];

    public string? MarkdownFile { get; private set; }

    public string? ServerDll { get; private set; }

    public int Seed { get; private set; } = 8;

    public bool Help { get; private set; }

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Value()
            {
                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException($"{arg} needs a value");
                }

                return args[++i];
            }

            switch (arg)
            {
                case "--help" or "-h":
                    options.Help = true;
                    break;
                case "--db":
                    options.Databases = List(Value()).Select(d => d.ToLowerInvariant()).ToList();
                    if (options.Databases.Count == 0 || options.Databases.Any(d => d is not ("sqlite" or "postgres")))
                    {
                        throw new ArgumentException("--db takes sqlite, postgres or sqlite,postgres");
                    }

                    break;
                case "--postgres":
                    options.Databases = ["postgres"];
                    break;
                case "--postgres-connection":
                    options.PostgresConnection = Value();
                    if (!options.Databases.Contains("postgres"))
                    {
                        options.Databases = ["postgres"];
                    }

                    break;
                case "--orders":
                    options.Sizes = List(Value()).Select(s => Positive(arg, s)).ToList();
                    break;
                case "--duration":
                    options.Duration = Seconds(arg, Value());
                    break;
                case "--warmup":
                    options.Warmup = Seconds(arg, Value(), allowZero: true);
                    break;
                case "--concurrency":
                    options.Concurrency = Positive(arg, Value());
                    break;
                case "--connections":
                    options.Connections = Positive(arg, Value());
                    break;
                case "--subscribers":
                    options.Subscribers = Positive(arg, Value());
                    break;
                case "--fanout-rate":
                    options.FanoutRate = Positive(arg, Value());
                    break;
                case "--fanout-seconds":
                    options.FanoutDuration = Seconds(arg, Value());
                    break;
                case "--idle-seconds":
                    options.IdleDuration = Seconds(arg, Value());
                    break;
                case "--feed-lines":
                    options.FeedLines = List(Value()).Select(s => Positive(arg, s)).ToList();
                    if (options.FeedLines.Any(n => n > 20_000))
                    {
                        throw new ArgumentException("--feed-lines: a feed has at most 20000 lines");
                    }

                    break;
                case "--feed-budget":
                    options.FeedBudget = Seconds(arg, Value(), allowZero: true);
                    break;
                case "--sellers":
                    options.Sellers = Positive(arg, Value());
                    if (options.Sellers < 2)
                    {
                        throw new ArgumentException("--sellers: at least 2 (one big seller and the others)");
                    }

                    break;
                case "--scenarios":
                    options.Scenarios = List(Value());
                    break;
                case "--markdown":
                    options.MarkdownFile = Value();
                    break;
                case "--server-dll":
                    options.ServerDll = Value();
                    break;
                case "--seed":
                    options.Seed = int.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                default:
                    throw new ArgumentException($"unknown option {arg}");
            }
        }

        if (options.Sizes.Any(s => s < 100))
        {
            throw new ArgumentException("--orders: at least 100 orders per size");
        }

        return options;
    }

    /// <summary>Whether the scenario of this name is selected by --scenarios.</summary>
    public bool Runs(string scenario) =>
        Scenarios.Count == 0 || Scenarios.Any(s => scenario.StartsWith(s, StringComparison.OrdinalIgnoreCase));

    private static List<string> List(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static int Positive(string option, string value) =>
        int.TryParse(value.Replace("_", ""), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{option}: '{value}' is not a positive whole number");

    private static TimeSpan Seconds(string option, string value, bool allowZero = false) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && (s > 0 || (allowZero && s == 0)) && s <= 3600
            ? TimeSpan.FromSeconds(s)
            : throw new ArgumentException($"{option}: '{value}' is not a number of seconds (up to 3600)");
}
