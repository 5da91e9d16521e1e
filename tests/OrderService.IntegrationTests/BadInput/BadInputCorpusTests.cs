using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using OrderService.IntegrationTests.Infrastructure;
using OrderService.Server.Access;
using Xunit.Abstractions;

namespace OrderService.IntegrationTests.BadInput;

/// <summary>The corpus's server: one in-process server on a database of its own, so that a
/// snapshot of every table sees only the corpus's own calls (the shared database grows with
/// every other test, and its server's background passes may change it at any time). The
/// automatic cancellation is off for the same reason: nothing but the corpus writes.</summary>
public sealed class CorpusServer : IAsyncLifetime
{
    public ServerFixture Server { get; private set; } = null!;

    public RawCalls Calls { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ServerFixture.StartIsolatedAsync(settings: new Dictionary<string, string?> { ["AutoCancel:Enabled"] = "false" });
        Calls = new RawCalls(Server);
    }

    public async Task DisposeAsync()
    {
        Calls.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>Issue 12, "Bad input": a corpus generated from the request descriptors of every
/// RPC (see <see cref="RequestMutations"/>), each case a valid request changed in one field,
/// plus cases written by hand for what a descriptor cannot say (wrong status, forged tokens
/// and cursors, rules on a request's content). Each must get what the protos and the README
/// document (<see cref="Expectations"/>): INVALID_ARGUMENT naming the field in a BadRequest,
/// or FAILED_PRECONDITION, OUT_OF_RANGE, NOT_FOUND, ALREADY_EXISTS where documented, never
/// UNKNOWN or INTERNAL, within the deadline; and every refused case leaves every table as it
/// was (no order change, no event so no notice, no stored answer).</summary>
public sealed class BadInputCorpusTests(CorpusServer corpus, ITestOutputHelper output) : IClassFixture<CorpusServer>
{
    public static TheoryData<string> Rpcs => new(CorpusRpcs.All.Keys);

    [Fact]
    public void Every_method_of_the_contract_has_a_corpus()
    {
        var methods = AccessPolicy.Services.SelectMany(service => service.Methods).Select(method => method.Name).Order().ToList();

        Assert.Equal(methods, CorpusRpcs.All.Keys.Order().ToList());
    }

    [Theory]
    [MemberData(nameof(Rpcs))]
    public async Task Bad_input_is_refused_as_documented_and_changes_nothing(string rpc)
    {
        var watch = Stopwatch.StartNew();
        var definition = CorpusRpcs.All[rpc];
        var server = corpus.Server;
        var context = new CorpusContext(server, TestData.NewId("S"), TestData.NewId("B"));
        var template = await definition.Valid(context);
        var cases = CorpusRpcs.CasesOf(definition, template, out var unusedRules);
        var token = RawCalls.Token(definition.Role, definition.CallerId(context));
        var failures = unusedRules.Select(rule => $"allow-list or field rule matches no generated case: {rule}").ToList();

        // The baseline: the valid request itself is accepted, so each case's refusal is the
        // one field's doing.
        var baseline = definition.Mutates ? context.Fresh() : context;
        var baselineOutcome = await corpus.Calls.CallAsync(definition.Method, token, (await definition.Valid(baseline)).ToByteArray());
        if (CorpusChecks.Check(new CorpusCase(rpc, "", "the valid request", new Accepted("baseline"), false, _ => Task.FromResult(Array.Empty<byte>())),
                definition.Method, baselineOutcome) is { } baselineProblem)
        {
            failures.Add($"{rpc}: {baselineProblem}");
        }

        // Every refused case is built first: building makes the orders the cases name, which
        // must happen before the snapshot.
        var refusals = new List<(CorpusCase Case, byte[] Request)>();
        foreach (var refusal in cases.Where(c => c.Expect is not Accepted))
        {
            refusals.Add((refusal, await refusal.Build(context)));
        }

        // A refused call, or a refused feed line, changes nothing. A feed whose lines are
        // refused is itself accepted: its stored answer (idempotency_records) is the one row
        // it may add (R10, R20: the retry of a feed replays its answer).
        await RunRefusals(definition, token, refusals.Where(r => !IsInLine(r.Case)).ToList(), allowFeedAnswer: false, failures);
        await RunRefusals(definition, token, refusals.Where(r => IsInLine(r.Case)).ToList(), allowFeedAnswer: true, failures);

        // The mutations valid per the protos are accepted, each on orders of its own when it
        // changes them.
        foreach (var accepted in cases.Where(c => c.Expect is Accepted))
        {
            var accepting = definition.Mutates ? context.Fresh() : context;
            var outcome = await corpus.Calls.CallAsync(definition.Method, token, await accepted.Build(accepting));
            if (CorpusChecks.Check(accepted, definition.Method, outcome) is { } problem)
            {
                failures.Add($"{accepted.Name}: {problem}");
            }
        }

        var acceptedCount = cases.Count(c => c.Expect is Accepted);
        output.WriteLine($"{rpc}: {cases.Count} cases ({cases.Count(c => c.Generated)} generated, {cases.Count(c => !c.Generated)} by hand): "
            + $"{cases.Count - acceptedCount} refused, {acceptedCount} accepted per the allow-list; {watch.Elapsed.TotalSeconds:0.0} s");
        Assert.True(failures.Count == 0, $"{failures.Count} problem(s) in the {cases.Count} cases of {rpc}:\n" + string.Join("\n", failures.Take(80)));
    }

    private static bool IsInLine(CorpusCase corpusCase) => corpusCase.Expect is Invalid { InLine: true } or Refused { InLine: true };

    /// <summary>Sends <paramref name="refusals"/> between two snapshots of every table. Row
    /// counts are taken around each call (one cheap statement) to tell which case changed
    /// a table; a change that keeps the counts names every case of the group.</summary>
    private async Task RunRefusals(CorpusRpc definition, string token, List<(CorpusCase Case, byte[] Request)> refusals, bool allowFeedAnswer, List<string> failures)
    {
        if (refusals.Count == 0)
        {
            return;
        }

        var server = corpus.Server;
        var before = await DatabaseSnapshot.TakeAsync(server);
        var counts = await DatabaseSnapshot.CountAsync(server);
        var changedBy = new List<string>();
        foreach (var (refusal, request) in refusals)
        {
            var outcome = await corpus.Calls.CallAsync(definition.Method, token, request);
            if (CorpusChecks.Check(refusal, definition.Method, outcome) is { } problem)
            {
                failures.Add($"{refusal.Name}: {problem}");
            }

            if (!allowFeedAnswer)
            {
                var now = await DatabaseSnapshot.CountAsync(server);
                var changed = now.Where(table => counts.GetValueOrDefault(table.Key) != table.Value).Select(table => $"{table.Key} {counts.GetValueOrDefault(table.Key)} -> {table.Value}").ToList();
                if (changed.Count > 0)
                {
                    changedBy.Add($"{refusal.Name} ({string.Join(", ", changed)})");
                    counts = now;
                }
            }
        }

        var after = await DatabaseSnapshot.TakeAsync(server);
        var feedMethod = $"{definition.Method.Service.FullName}/{definition.Method.Name}";
        var differences = after.DifferencesFrom(before, allowFeedAnswer
            ? (table, row) => table == "idempotency_records" && row.Contains(feedMethod, StringComparison.Ordinal)
            : null);
        if (differences.Count > 0)
        {
            var who = changedBy.Count > 0
                ? "row counts changed after " + string.Join("; ", changedBy)
                : "no row count changed; the cases: " + string.Join("; ", refusals.Select(r => r.Case.Name));
            failures.Add($"the database changed over {refusals.Count} refused cases ({who}):\n  " + string.Join("\n  ", differences));
        }
    }
}
