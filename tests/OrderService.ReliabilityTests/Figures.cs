using System.Diagnostics;
using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using OrderService.Client;
using Xunit.Abstractions;

namespace OrderService.ReliabilityTests;

/// <summary>The figures of one run, printed with the test's output (for docs/reliability.md)
/// whether it passes or fails: what happened is most useful when it failed.</summary>
public sealed class Figures(string title, ITestOutputHelper output)
{
    private readonly List<(string Name, string Value)> _rows = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly string _loadAtStart = LoadAverage();

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Add(string name, object value) =>
        _rows.Add((name, value switch
        {
            int n => n.ToString("N0", CultureInfo.InvariantCulture),
            long n => n.ToString("N0", CultureInfo.InvariantCulture),
            TimeSpan t => t.TotalSeconds.ToString("N1", CultureInfo.InvariantCulture) + " s",
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        }));

    /// <summary>A phase's duration since the run started.</summary>
    public void Mark(string name) => Add(name, Elapsed);

    public void Print()
    {
        Add("load average (1 min) at the start / the end", $"{_loadAtStart} / {LoadAverage()}");
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"| {title} | |");
        text.AppendLine("|---|---:|");
        foreach (var (name, value) in _rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {value} |");
        }

        output.WriteLine(text.ToString());
    }

    /// <summary>The machine's 1-minute load average: above the 2 cores, other work shared them
    /// and the times say more about it than about the service.</summary>
    private static string LoadAverage()
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
}

/// <summary>What one call got: the response, the server's refusal (code and ErrorInfo
/// reason), or nothing from the server at all (the call was lost: a transport failure).</summary>
public sealed record Outcome(IMessage? Response, StatusCode Code, string? Reason, string Detail, DateTimeOffset At)
{
    public bool Ok => Response is not null;

    /// <summary>The server answered: a response, or a refusal carrying its ErrorInfo.</summary>
    public bool Answered => Ok || Reason is not null;

    public bool Lost => !Answered;

    /// <summary>ABORTED says "nothing was written, retry": an answer that may change.</summary>
    public bool Transient => Code == StatusCode.Aborted;

    public static async Task<Outcome> Of<T>(Func<Task<T>> call)
        where T : IMessage
    {
        try
        {
            var response = await call();
            return new Outcome(response, StatusCode.OK, null, "", DateTimeOffset.UtcNow);
        }
        catch (RpcException e)
        {
            var details = e.Details();
            return new Outcome(null, e.StatusCode, details.Reason, e.Status.Detail, DateTimeOffset.UtcNow);
        }
    }

    /// <summary>The same answer: an equal response, or the same code and reason.</summary>
    public bool SameAs(Outcome other) =>
        Ok ? other.Ok && Response!.Equals(other.Response) : !other.Ok && Code == other.Code && Reason == other.Reason;

    public override string ToString() => Ok ? "OK " + Truncated($"{Response}") : $"{Code} {Reason ?? "(no ErrorInfo: lost)"} {Detail}";

    private static string Truncated(string text) => text.Length <= 300 ? text : text[..300] + "...";
}

public static class Statuses
{
    /// <summary>The ErrorInfo reason of a google.rpc.Status (a feed line's), or null.</summary>
    public static string? ReasonOf(Google.Rpc.Status status) =>
        status.Details.Where(d => d.Is(ErrorInfo.Descriptor)).Select(d => d.Unpack<ErrorInfo>().Reason).FirstOrDefault();
}
