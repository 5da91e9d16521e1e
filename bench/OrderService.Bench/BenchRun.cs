using System.Collections.Concurrent;
using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using OrderService.Client;
using OrderService.Contracts.V1;

namespace OrderService.Bench;

/// <summary>Every scenario against one running server on one seeded database. Rows go into
/// <see cref="Section"/> in the order they ran.</summary>
public sealed class BenchRun : IDisposable
{
    /// <summary>Streams per HTTP/2 connection for the subscribers (Kestrel allows 100).</summary>
    private const int StreamsPerConnection = 50;

    private static readonly TimeSpan UnaryDeadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FeedDeadline = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(60);

    private readonly BenchOptions _options;
    private readonly ServerProcess _server;
    private readonly SeedData _data;
    private readonly Pools _pools;
    private readonly Section _section;
    private readonly Action<string> _log;
    private readonly CancellationToken _cancellationToken;
    private readonly List<Connection> _connections;
    private readonly Dictionary<string, Metadata> _sellerHeaders;
    private readonly Metadata _marketplaceHeaders;
    private readonly string _runTag = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
    private int _createdOrders;
    private double? _b0;
    private RunResult? _getOrder;
    private RunResult? _createPairs;
    private double? _feedSecondsPerLine;

    public BenchRun(BenchOptions options, ServerProcess server, SeedData data, Tokens tokens, Section section, Action<string> log, CancellationToken cancellationToken)
    {
        _options = options;
        _server = server;
        _data = data;
        _section = section;
        _log = log;
        _cancellationToken = cancellationToken;
        _pools = new Pools(data, options.FeedLines, options.Seed);
        _connections = Enumerable.Range(0, options.Connections).Select(_ => new Connection(server.Address)).ToList();
        _sellerHeaders = data.Sellers.ToDictionary(s => s, s => tokens.Headers("seller", s));
        _marketplaceHeaders = tokens.Headers("marketplace", "bench-intake");
    }

    public async Task RunAllAsync()
    {
        await Scenario("B0", B0Async);
        await Scenario("Health", HealthAsync);
        await Scenario("GetOrder", GetOrderAsync);
        await Scenario("GetOrder at fixed rate", GetOrderAtRateAsync);
        await Scenario("ListOrders", ListOrdersAsync);
        await Scenario("CreateOrder+AuthorizePayment", CreateAndAuthorizeAsync);
        await Scenario("CancelOrder", CancelOrderAsync);
        await Scenario("ConfirmShipment", ConfirmShipmentAsync);
        await Scenario("Report", ReportAsync);
        foreach (var (asked, pool) in _pools.Feeds)
        {
            await Scenario($"Feed {asked}", () => FeedAsync(asked, pool));
        }

        await Scenario("Fan-out", FanOutAsync);
    }

    public void Dispose()
    {
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }
    }

    private async Task Scenario(string name, Func<Task> run)
    {
        if (!_options.Runs(name))
        {
            return;
        }

        if (_server.HasExited)
        {
            throw new InvalidOperationException($"The server exited before {name}:\n{_server.Tail()}");
        }

        _log($"{_section.Title}: {name}...");
        var clock = Stopwatch.StartNew();
        await run();
        var settled = await _server.SettleAsync(SettleLimit, _cancellationToken);
        if (settled is null)
        {
            _section.Notes.Add($"After {name} the server was still busy {SettleLimit.TotalSeconds:N0} s later: the next scenario shared the CPU with that leftover work.");
        }
        else if (settled > TimeSpan.FromSeconds(3))
        {
            _section.Notes.Add($"After {name} the server kept working for {settled.Value.TotalSeconds:N0} s on calls already answered or abandoned.");
        }

        var last = _section.Rows.LastOrDefault();
        if (last is not null)
        {
            _log($"  {last.Scenario}: {Report.Number(last.Rate)}/s, p50 {Report.Number(last.P50)} ms, p99 {Report.Number(last.P99)} ms, errors {last.Errors} ({clock.Elapsed.TotalSeconds:N0} s)");
        }
    }

    // ---------------------------------------------------------------- scenarios

    /// <summary>The big seller's whole order report as the marketplace's flat file (one line
    /// per order item), written by the C# client library to nowhere: lines per second, and
    /// how much the server's resident memory grew while it streamed (sampled every 50 ms).</summary>
    private async Task ReportAsync()
    {
        var request = new StreamOrderReportRequest { ReportType = OrderReportType.AllOrders, IncludeBuyerCancellationRequest = true };
        var before = _server.Rss();
        var peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, _server.Rss());
                await Task.Delay(50, CancellationToken.None);
            }
        });
        var clock = Stopwatch.StartNew();
        long lines = 0;
        var errors = "0";
        try
        {
            using var call = _connections[0].Orders.StreamOrderReport(request, _sellerHeaders[_data.BigSeller], Deadline(FeedDeadline), _cancellationToken);
            lines = await OrderReportFile.WriteAsync(call.ResponseStream.ReadAllAsync(_cancellationToken), request.ReportType,
                request.IncludeBuyerCancellationRequest, TextWriter.Null);
        }
        catch (RpcException e) when (!_cancellationToken.IsCancellationRequested)
        {
            errors = e.StatusCode.ToString();
        }

        var seconds = clock.Elapsed.TotalSeconds;
        await sampling.CancelAsync();
        await sampler;
        var orders = _data.OfSeller(_data.BigSeller).Count();
        AddRow(new Row($"Report, {orders:N0} orders", $"{lines:N0} lines", lines / seconds, seconds * 1000, seconds * 1000, null, errors, "-",
            "StreamOrderReport ALL_ORDERS of the big seller written as the flat file by the C# client (to nowhere); calls/s = lines/s; "
            + $"server memory {before / 1024.0 / 1024.0:N0} MiB before, at most {peak / 1024.0 / 1024.0:N0} MiB while it streamed (+{(peak - before) / 1024.0 / 1024.0:N0} MiB)"));
    }

    private async Task B0Async()
    {
        var request = new HealthCheckRequest { Service = "orderservice.bench.NoSuchService" };
        var i = 0;
        var result = await SaturateAsync(() =>
        {
            var health = Next(ref i).Health;
            return async ct => await health.CheckAsync(request, deadline: Deadline(UnaryDeadline), cancellationToken: ct);
        }, null, StatusCode.NotFound);
        _b0 = result.Result.Rate;
        Add("B0: Health/Check, unknown service", result, "", $"no-op call (NOT_FOUND expected), no token{result.Note}");
    }

    private async Task HealthAsync()
    {
        var request = new HealthCheckRequest();
        var i = 0;
        var result = await SaturateAsync(() =>
        {
            var health = Next(ref i).Health;
            return async ct => await health.CheckAsync(request, deadline: Deadline(UnaryDeadline), cancellationToken: ct);
        }, null);
        Add("Health/Check, server's own status", result, "", $"as configured: runs the database check{result.Note}");
    }

    private async Task GetOrderAsync()
    {
        var random = new Random(_options.Seed);
        var i = 0;
        var result = await SaturateAsync(() =>
        {
            SeededOrder order;
            lock (random)
            {
                order = _data.Orders[random.Next(_data.Orders.Count)];
            }

            var orders = Next(ref i).Orders;
            var request = new GetOrderRequest { OrderId = order.Id };
            var headers = _sellerHeaders[order.SellerId];
            return async ct => await orders.GetOrderAsync(request, headers, Deadline(UnaryDeadline), ct);
        }, null);
        _getOrder = result.Result;
        Add("GetOrder", result, RatioTarget(result.Result, 0.30), $"a random order of any seller, its seller's token{result.Note}");
    }

    private async Task GetOrderAtRateAsync()
    {
        if (_b0 is not { } b0 || _getOrder is null)
        {
            _section.Notes.Add("GetOrder at a fixed rate needs B0 and GetOrder in the same run: skipped.");
            return;
        }

        var rate = Math.Max(1, 0.05 * b0);
        // At most half a second of the server's measured GetOrder capacity in flight: past
        // that the server is saturated and more calls would only queue.
        var maxInFlight = (int)Math.Clamp(Math.Ceiling(_getOrder.Rate * 0.5), 4, 256);
        var random = new Random(_options.Seed + 1);
        var i = 0;
        var result = await Load.OpenLoopAsync(rate, _options.Duration, maxInFlight, () =>
        {
            SeededOrder order;
            lock (random)
            {
                order = _data.Orders[random.Next(_data.Orders.Count)];
            }

            var orders = Next(ref i).Orders;
            var request = new GetOrderRequest { OrderId = order.Id };
            var headers = _sellerHeaders[order.SellerId];
            return async ct => await orders.GetOrderAsync(request, headers, Deadline(UnaryDeadline), ct);
        }, _cancellationToken);
        var p99 = result.Percentile(99);
        var target = double.IsNaN(p99) ? "p99 <= 5 ms: no answer"
            : p99 <= 5 ? $"p99 <= 5 ms: met"
            : $"p99 <= 5 ms: missed, {p99 / 5:N1}x over";
        var notes = $"offered {rate:N0}/s (0.05 B0) for {_options.Duration.TotalSeconds:N0} s, open loop; latency from send";
        if (result.NotSent > 0)
        {
            notes += $"; {result.NotSent:N0} of {result.NotSent + result.Calls:N0} not sent: {maxInFlight} already in flight (server saturated)";
        }

        if (result.Ok is > 0 and < 100)
        {
            notes += $"; only {result.Ok} calls: p99 is their maximum";
        }

        AddRow(new Row("GetOrder at 0.05 B0", $"{result.Calls:N0}", result.Rate, result.Percentile(50), p99, Ratio(result),
            Errors(result), target, notes));
    }

    private async Task ListOrdersAsync()
    {
        var request = new ListOrdersRequest { PageSize = 50 };
        var headers = _sellerHeaders[_data.BigSeller];
        var i = 0;
        var result = await SaturateAsync(() =>
        {
            var orders = Next(ref i).Orders;
            return async ct => await orders.ListOrdersAsync(request, headers, Deadline(UnaryDeadline), ct);
        }, null);
        var bigCount = _data.OfSeller(_data.BigSeller).Count();
        Add("ListOrders, page of 50", result, RatioTarget(result.Result, 0.10),
            $"first page of {_data.BigSeller} ({bigCount:N0} orders), newest first{result.Note}");
    }

    private async Task CreateAndAuthorizeAsync()
    {
        var i = 0;
        var result = await SaturateAsync(() =>
        {
            var orders = Next(ref i).Orders;
            var create = NewOrder(_data.Sellers[Random.Shared.Next(_data.Sellers.Count)]);
            var authorize = Authorize(create.OrderId);
            return async ct =>
            {
                await orders.CreateOrderAsync(create, _marketplaceHeaders, Deadline(UnaryDeadline), ct);
                await orders.AuthorizePaymentAsync(authorize, _marketplaceHeaders, Deadline(UnaryDeadline), ct);
            };
        }, null);
        _createPairs = result.Result;
        Add("CreateOrder+AuthorizePayment", result, "", $"one call = both RPCs (marketplace token, new order of 2 items){result.Note}");
    }

    private async Task CancelOrderAsync()
    {
        var pool = _pools.Cancel;
        var i = 0;
        var result = await SaturateAsync(() =>
        {
            if (pool.Take() is not { } order)
            {
                return null;
            }

            var orders = Next(ref i).Orders;
            var request = new CancelOrderRequest { RequestId = Guid.NewGuid().ToString(), OrderId = order.Id, Reason = CancelReason.NoInventory };
            var headers = _sellerHeaders[order.SellerId];
            return async ct => await orders.CancelOrderAsync(request, headers, Deadline(UnaryDeadline), ct);
        }, pool);
        Add("CancelOrder", result, RatioTarget(result.Result, 0.10), $"distinct UNSHIPPED orders, each once{PoolNote(pool, result.Result)}{result.Note}");
    }

    private async Task ConfirmShipmentAsync()
    {
        var pool = _pools.Ship;
        var i = 0;
        var result = await SaturateAsync(() =>
        {
            if (pool.Take() is not { } order)
            {
                return null;
            }

            var orders = Next(ref i).Orders;
            var request = new ConfirmShipmentRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                OrderId = order.Id,
                Carrier = "Yamato Transport",
                TrackingNumber = $"4470-{Random.Shared.Next(10_000):D4}-{Random.Shared.Next(10_000):D4}",
            };
            request.Lines.AddRange(order.Items.Select(item => new ShipmentLine { OrderItemId = item.ItemId, Quantity = item.Quantity }));
            var headers = _sellerHeaders[order.SellerId];
            return async ct => await orders.ConfirmShipmentAsync(request, headers, Deadline(UnaryDeadline), ct);
        }, pool);
        Add("ConfirmShipment", result, RatioTarget(result.Result, 0.10), $"every unit of distinct UNSHIPPED orders{PoolNote(pool, result.Result)}{result.Note}");
    }

    private async Task FeedAsync(int asked, OrderPool pool)
    {
        if (pool.Size == 0)
        {
            _section.Notes.Add($"Feed of {asked:N0} lines: no orders left for it, skipped.");
            return;
        }

        if (_feedSecondsPerLine is { } perLine && _options.FeedBudget > TimeSpan.Zero && perLine * pool.Size > _options.FeedBudget.TotalSeconds)
        {
            var note = $"not run: the previous feed projects {perLine * pool.Size:N0} s for {pool.Size:N0} lines, over the budget of {_options.FeedBudget.TotalSeconds:N0} s (--feed-budget 0 runs it anyway)";
            AddRow(new Row($"Feed, {pool.Size:N0} lines", "0", null, null, null, null, "-",
                asked >= 10_000 ? $"< {(asked >= 20_000 ? 4 : 2)} s: missed, about {perLine * pool.Size:N0} s projected" : "-", note));
            return;
        }

        var lines = pool.TakeAll();

        var request = new SubmitCancellationFeedRequest { RequestId = Guid.NewGuid().ToString() };
        request.Lines.AddRange(lines.Select(o => new CancellationFeedLine { OrderId = o.Id, Reason = CancelReason.NoInventory }));
        var headers = _sellerHeaders[_data.BigSeller];
        var clock = Stopwatch.StartNew();
        string errors = "0";
        var accepted = 0;
        try
        {
            var response = await _connections[0].Orders.SubmitCancellationFeedAsync(request, headers, Deadline(FeedDeadline), _cancellationToken);
            accepted = response.Summary.Accepted;
            if (response.Summary.Failed > 0)
            {
                var reasons = response.Results.Where(r => r.Status is { Code: not 0 })
                    .GroupBy(r => ((StatusCode)r.Status.Code).ToString()).Select(g => $"{g.Key} {g.Count():N0}");
                errors = $"{response.Summary.Failed:N0} lines: {string.Join(", ", reasons)}";
            }
        }
        catch (RpcException e) when (!_cancellationToken.IsCancellationRequested)
        {
            errors = e.StatusCode.ToString();
        }

        var seconds = clock.Elapsed.TotalSeconds;
        _feedSecondsPerLine = seconds / lines.Count;
        var limit = asked >= 20_000 ? 4.0 : asked >= 10_000 ? 2.0 : double.NaN;
        var target = lines.Count < asked || double.IsNaN(limit) ? "-"
            : seconds < limit ? $"< {limit:N0} s: met ({seconds:N1} s)"
            : $"< {limit:N0} s: missed, {seconds:N1} s ({seconds / limit:N1}x)";
        var notes = $"one SubmitCancellationFeed of the big seller, wall time {seconds:N2} s, {accepted:N0} lines accepted; calls/s = lines/s";
        if (lines.Count < asked)
        {
            notes += $"; {lines.Count:N0} lines, not {asked:N0}: the big seller has only {_data.OfSeller(_data.BigSeller).Count():N0} orders at this size";
        }

        AddRow(new Row($"Feed, {lines.Count:N0} lines", $"{lines.Count:N0} lines", lines.Count / seconds, seconds * 1000, seconds * 1000,
            null, errors, target, notes));
    }

    /// <summary>Subscribers spread over the sellers (the same number per seller), first idle
    /// (the server's CPU is watched), then while new orders of those sellers are created at
    /// a fixed rate; each notice's delay is its receipt minus its event_time, and every
    /// stream of the order's seller must receive it.</summary>
    private async Task FanOutAsync()
    {
        var subscribers = _options.Subscribers;
        var sellers = _data.Sellers.Take(Math.Min(subscribers, _data.Sellers.Count)).ToList();
        var streamsOf = sellers.ToDictionary(s => s, _ => 0);
        for (var s = 0; s < subscribers; s++)
        {
            streamsOf[sellers[s % sellers.Count]]++;
        }

        // Idle server, no subscribers: the baseline the subscribers' cost adds to.
        var baseline = await CpuShareAsync(TimeSpan.FromSeconds(3));

        var subscriberConnections = Enumerable.Range(0, (subscribers + StreamsPerConnection - 1) / StreamsPerConnection)
            .Select(_ => new Connection(_server.Address)).ToList();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_cancellationToken);
        var written = new ConcurrentDictionary<string, string>(); // order id -> seller, for the notices to expect
        var delivered = new ConcurrentDictionary<string, int>();
        var delays = new ConcurrentQueue<double>();
        var streamErrors = new ConcurrentDictionary<string, int>();
        var established = 0;
        var readers = new List<Task>(subscribers);
        try
        {
            var openClock = Stopwatch.StartNew();
            for (var s = 0; s < subscribers; s++)
            {
                var seller = sellers[s % sellers.Count];
                var connection = subscriberConnections[s / StreamsPerConnection];
                readers.Add(Task.Run(async () =>
                {
                    try
                    {
                        using var call = connection.Notifications.Subscribe(new SubscribeRequest(), _sellerHeaders[seller], cancellationToken: stop.Token);
                        await call.ResponseHeadersAsync;
                        Interlocked.Increment(ref established);
                        while (await call.ResponseStream.MoveNext(stop.Token))
                        {
                            if (call.ResponseStream.Current.Notification is { } notice && written.ContainsKey(notice.OrderId))
                            {
                                var delay = (DateTime.UtcNow - notice.EventTime.ToDateTime()).TotalMilliseconds;
                                delays.Enqueue(delay);
                                delivered.AddOrUpdate(notice.OrderId, 1, (_, n) => n + 1);
                            }
                        }

                        streamErrors.AddOrUpdate("ended", 1, (_, n) => n + 1);
                    }
                    catch (RpcException) when (stop.IsCancellationRequested)
                    {
                    }
                    catch (OperationCanceledException) when (stop.IsCancellationRequested)
                    {
                    }
                    catch (RpcException e)
                    {
                        streamErrors.AddOrUpdate(e.StatusCode.ToString(), 1, (_, n) => n + 1);
                    }
                }, CancellationToken.None));
            }

            while (Volatile.Read(ref established) + streamErrors.Values.Sum() < subscribers && openClock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(100, _cancellationToken);
            }

            var openSeconds = openClock.Elapsed.TotalSeconds;
            _log($"  {established:N0} of {subscribers:N0} subscribed in {openSeconds:N1} s");
            await _server.SettleAsync(TimeSpan.FromSeconds(10), _cancellationToken);

            // Idle: streams open, nothing written.
            var idle = await CpuShareAsync(_options.IdleDuration);
            var cost = idle - baseline;
            var idleTarget = cost < 1.0 ? $"< 1 % of a core: met ({cost:N1} %)" : $"< 1 % of a core: missed, {cost:N1} % ({cost:N1}x)";
            AddRow(new Row($"Idle: {subscribers:N0} subscribers", $"{established:N0} streams", null, null, null, null,
                Errors(streamErrors), idleTarget,
                $"server CPU {idle:N1} % of one core over {_options.IdleDuration.TotalSeconds:N0} s with the streams open and nothing written ({baseline:N1} % with none open); subscribed in {openSeconds:N1} s"));

            // Writes at a fixed rate: new orders of the subscribed sellers, whose
            // ORDER_CREATED notice goes to every stream of that seller. At most about half a
            // second of the server's measured CreateOrder capacity in flight (a pair of
            // CreateOrder+AuthorizePayment is two writes): past that the writes only queue.
            var maxInFlight = _createPairs is { } pairs ? (int)Math.Clamp(Math.Ceiling(pairs.Rate * 2 * 0.5), 8, 256) : 256;
            var writer = 0;
            var writes = await Load.OpenLoopAsync(_options.FanoutRate, _options.FanoutDuration, maxInFlight, () =>
            {
                var seller = sellers[Interlocked.Increment(ref writer) % sellers.Count];
                var request = NewOrder(seller);
                var orders = _connections[writer % _connections.Count].Orders;
                return async ct =>
                {
                    written[request.OrderId] = seller;
                    try
                    {
                        await orders.CreateOrderAsync(request, _marketplaceHeaders, Deadline(UnaryDeadline), ct);
                    }
                    catch (RpcException)
                    {
                        written.TryRemove(request.OrderId, out _); // not known to be committed: expect nothing
                        throw;
                    }
                };
            }, _cancellationToken);

            int Expected() => written.Sum(w => streamsOf[w.Value]);
            int Received() => written.Keys.Sum(id => Math.Min(delivered.GetValueOrDefault(id), streamsOf[written[id]]));
            var grace = Stopwatch.StartNew();
            while (Received() < Expected() && grace.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(100, _cancellationToken);
            }

            var expected = Expected();
            var received = Received();
            var duplicates = written.Keys.Sum(id => Math.Max(0, delivered.GetValueOrDefault(id) - streamsOf[written[id]]));
            var sorted = delays.ToArray();
            Array.Sort(sorted);
            var p99 = RunResult.Percentile(sorted, 99);
            var drops = expected - received;
            var fanoutTarget = drops == 0 && p99 <= 100 ? "p99 <= 100 ms, 0 drops: met"
                : $"p99 <= 100 ms, 0 drops: missed ({(double.IsNaN(p99) ? "no notice" : $"p99 {p99:N0} ms")}, {drops:N0} drops)";
            var errors = new Dictionary<string, int>(streamErrors);
            if (drops > 0)
            {
                errors["drops"] = drops;
            }

            foreach (var (code, count) in writes.Errors)
            {
                errors[$"write {code}"] = count;
            }

            var notes = $"{writes.Rate:N1} writes/s achieved of {_options.FanoutRate} asked (CreateOrder, write p50 {writes.Percentile(50):N0} ms, p99 {writes.Percentile(99):N0} ms"
                + (writes.NotSent > 0 ? $", {writes.NotSent:N0} not sent: {maxInFlight} in flight" : "")
                + $"); {received:N0} of {expected:N0} notices received ({subscribers / sellers.Count} streams per seller); "
                + $"p50/p99 = receipt minus the notice's event_time, an upper bound of commit-to-delivery"
                + (duplicates > 0 ? $"; {duplicates:N0} duplicates" : "");
            AddRow(new Row($"Fan-out: {subscribers:N0} subscribers, {_options.FanoutRate} writes/s", $"{received:N0} notices",
                writes.Rate, RunResult.Percentile(sorted, 50), p99, null, Errors(errors), fanoutTarget, notes));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAny(Task.WhenAll(readers), Task.Delay(TimeSpan.FromSeconds(10), CancellationToken.None));
            foreach (var connection in subscriberConnections)
            {
                connection.Dispose();
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private sealed record Saturation(RunResult Result, string Note);

    /// <summary>Saturation: a probe of up to 3 calls one at a time, a warm-up, then
    /// <see cref="BenchOptions.Concurrency"/> callers for <see cref="BenchOptions.Duration"/>.
    /// When one call alone takes long (a slow data path), fewer callers are used so that what
    /// is still in flight at the end costs the server at most about a second per core: with
    /// 64 callers on a call of a second the server would keep working for half a minute
    /// after the clients stopped. The note says so.</summary>
    private async Task<Saturation> SaturateAsync(NextCall next, OrderPool? pool, StatusCode? expected = null)
    {
        var probe = await Load.ClosedLoopAsync(1, TimeSpan.FromSeconds(2), 3, next, _cancellationToken, expected);
        var single = probe.Latencies.Length > 0 ? probe.Percentile(50) : probe.Elapsed.TotalMilliseconds / Math.Max(1, probe.Calls);
        var concurrency = _options.Concurrency;
        var note = "";
        if (single > 10)
        {
            var bounded = (int)Math.Clamp(Math.Floor(Environment.ProcessorCount * 1000 / single), 4, _options.Concurrency);
            if (bounded < concurrency)
            {
                concurrency = bounded;
                note = $"; {bounded} callers, not {_options.Concurrency}: one call alone took {single:N0} ms";
            }
        }

        if (_options.Warmup > TimeSpan.Zero && single < 100)
        {
            var warmupCalls = pool is null ? int.MaxValue : pool.Remaining / 10;
            await Load.ClosedLoopAsync(concurrency, _options.Warmup, warmupCalls, next, _cancellationToken, expected);
        }

        var result = await Load.ClosedLoopAsync(concurrency, _options.Duration, int.MaxValue, next, _cancellationToken, expected);
        if (result.Exhausted)
        {
            note += $"; the pool ran out after {result.Elapsed.TotalSeconds:N1} s";
        }

        return new Saturation(result, note);
    }

    private void Add(string scenario, Saturation saturation, string target, string notes)
    {
        var result = saturation.Result;
        if (result.Ok is > 0 and < 100)
        {
            notes += $"; only {result.Ok} calls: p99 is their maximum";
        }

        AddRow(new Row(scenario, $"{result.Calls:N0}", result.Rate, result.Percentile(50), result.Percentile(99), Ratio(result), Errors(result), target, notes));
    }

    private void AddRow(Row row) => _section.Rows.Add(row);

    private double? Ratio(RunResult result) => _b0 is > 0 ? result.Rate / _b0 : null;

    private string RatioTarget(RunResult result, double minimum)
    {
        if (Ratio(result) is not { } ratio)
        {
            return "-";
        }

        return ratio >= minimum
            ? $">= {minimum:N2} B0: met"
            : ratio == 0 ? $">= {minimum:N2} B0: missed, no call succeeded"
            : $">= {minimum:N2} B0: missed, {minimum / ratio:N1}x short";
    }

    private static string PoolNote(OrderPool pool, RunResult result) =>
        result.Exhausted ? $" (pool of {pool.Size:N0})" : "";

    private static string Errors(RunResult result) => Errors(result.Errors);

    private static string Errors(IReadOnlyDictionary<string, int> errors) =>
        errors.Count == 0 ? "0" : string.Join(", ", errors.OrderByDescending(e => e.Value).Select(e => $"{e.Key} {e.Value:N0}"));

    private Connection Next(ref int counter) => _connections[(int)((uint)Interlocked.Increment(ref counter) % _connections.Count)];

    private static DateTime Deadline(TimeSpan after) => DateTime.UtcNow + after;

    /// <summary>The server's CPU over <paramref name="period"/>, in % of one core.</summary>
    private async Task<double> CpuShareAsync(TimeSpan period)
    {
        var before = _server.CpuTime();
        var clock = Stopwatch.StartNew();
        await Task.Delay(period, _cancellationToken);
        return (_server.CpuTime() - before).TotalSeconds / clock.Elapsed.TotalSeconds * 100;
    }

    private CreateOrderRequest NewOrder(string sellerId)
    {
        var now = DateTimeOffset.UtcNow;
        var n = Interlocked.Increment(ref _createdOrders);
        static Google.Type.Money Yen(long units) => new() { CurrencyCode = "JPY", Units = units };
        return new CreateOrderRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            OrderId = $"BENCH-{_runTag}-{n:D8}",
            SellerId = sellerId,
            BuyerId = $"BUYER-{n % 20_000:D5}",
            CurrencyCode = "JPY",
            PurchaseTime = Timestamp.FromDateTimeOffset(now.AddMinutes(-1)),
            LatestShipTime = Timestamp.FromDateTimeOffset(now.AddDays(3)),
            Items =
            {
                new NewOrderItem
                {
                    OrderItemId = "ITEM-1", Sku = "SKU-00042", Title = "Arita porcelain tea cup", Quantity = 2,
                    UnitCharges =
                    {
                        new ChargeAmount { Component = ChargeComponent.Principal, Amount = Yen(1_800) },
                        new ChargeAmount { Component = ChargeComponent.Tax, Amount = Yen(180) },
                        new ChargeAmount { Component = ChargeComponent.Shipping, Amount = Yen(400) },
                    },
                },
                new NewOrderItem
                {
                    OrderItemId = "ITEM-2", Sku = "SKU-01234", Title = "Cast iron teapot 0.6 L", Quantity = 1,
                    UnitCharges =
                    {
                        new ChargeAmount { Component = ChargeComponent.Principal, Amount = Yen(6_500) },
                        new ChargeAmount { Component = ChargeComponent.Tax, Amount = Yen(650) },
                    },
                },
            },
        };
    }

    private static AuthorizePaymentRequest Authorize(string orderId) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        OrderId = orderId,
        ShippingAddress = new ShippingAddress
        {
            RecipientName = "Hanako Yamada",
            AddressLines = { "1-2-3 Jingumae" },
            Locality = "Shibuya-ku",
            AdministrativeArea = "Tokyo",
            PostalCode = "150-0001",
            RegionCode = "JP",
        },
        BuyerContact = new BuyerContact { Name = "Hanako Yamada", Email = "hanako@buyers.example.invalid" },
    };

    /// <summary>One HTTP/2 connection: the client library's connection (without a token: each
    /// call carries its caller's) and a health client, over one handler.</summary>
    private sealed class Connection : IDisposable
    {
        private readonly SocketsHttpHandler _handler;
        private readonly OrderServiceConnection _connection;
        private readonly GrpcChannel _healthChannel;

        public Connection(Uri address)
        {
            _handler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                ConnectTimeout = TimeSpan.FromSeconds(10),
            };
            _connection = OrderServiceConnection.CreateRaw(address, bearerToken: null, _handler);
            _healthChannel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = _handler });
            Health = new Health.HealthClient(_healthChannel);
        }

        public Contracts.V1.OrderService.OrderServiceClient Orders => _connection.Orders;

        public NotificationService.NotificationServiceClient Notifications => _connection.Notifications;

        public Health.HealthClient Health { get; }

        public void Dispose()
        {
            _connection.Dispose();
            _healthChannel.Dispose();
            _handler.Dispose();
        }
    }
}
