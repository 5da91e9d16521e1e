using System.CommandLine;
using System.Security.Claims;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OrderService.Client;
using OrderService.Contracts.V1;
using Spectre.Console;

namespace OrderService.OrderCtl;

/// <summary>The command tree. Exit codes: 0 done; 1 the server refused the call (its status,
/// reason, field violations and metadata on standard error); 2 bad usage or input file;
/// 3 a feed in which some lines were refused (each line's status is in the output).</summary>
public sealed class Commands
{
    public const string DevelopmentSigningKey = "development-only-signing-key-change-me-0123456789";

    private readonly Option<string> _address = new("--address")
    {
        Description = "The server (env ORDERSERVICE_ADDRESS)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ORDERSERVICE_ADDRESS") is { Length: > 0 } a ? a : "http://127.0.0.1:5080",
        Recursive = true,
    };

    private readonly Option<string?> _token = new("--token")
    {
        Description = "The bearer token (env ORDERSERVICE_TOKEN; `orderctl token` mints a development one)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ORDERSERVICE_TOKEN"),
        Recursive = true,
    };

    public Commands()
    {
        Root = new RootCommand("orderctl: call OrderService (orderservice.v1) from the command line. JSON in, JSON out.");
        Root.Options.Add(_address);
        Root.Options.Add(_token);
        Root.Subcommands.Add(Call());
        Root.Subcommands.Add(Methods());
        Root.Subcommands.Add(Token());
        Root.Subcommands.Add(Subscribe());
        Root.Subcommands.Add(Feed());
        Root.Subcommands.Add(Report());
    }

    public RootCommand Root { get; }

    private Command Call()
    {
        var method = new Argument<string>("method") { Description = "CreateOrder, OrderService.CreateOrder or orderservice.v1.OrderService/CreateOrder (`orderctl methods` lists them)" };
        var data = new Argument<string>("request")
        {
            Description = "The request as protobuf JSON: inline, @FILE, or - for standard input. A missing request_id is filled in and printed on standard error.",
            DefaultValueFactory = _ => "{}",
        };
        var command = new Command("call", "Call any RPC with a JSON request; prints the response (a server stream: one JSON object per line)") { method, data };
        command.SetAction((parse, cancellation) => Run(parse, async connection =>
        {
            var descriptor = Rpc.Find(parse.GetValue(method)!)
                ?? throw new UsageException($"no such method: {parse.GetValue(method)} (see `orderctl methods`)");
            var request = ParseRequest(descriptor.InputType, ReadArgument(parse.GetValue(data)!));
            var given = descriptor.InputType.FindFieldByName("request_id") is { } field && ((string)field.Accessor.GetValue(request)).Length > 0;
            if (RequestIds.Ensure(request) is { } id && !given)
            {
                // Filled in here: the user can send the same id again to retry safely.
                Console.Error.WriteLine($"request_id: {id}");
            }

            var rpc = Rpc.MethodOf(descriptor);
            if (descriptor.IsServerStreaming)
            {
                using var call = connection.CallInvoker.AsyncServerStreamingCall(rpc, null, new CallOptions(cancellationToken: cancellation), request);
                await foreach (var response in call.ResponseStream.ReadAllAsync(cancellation))
                {
                    Console.WriteLine(Rpc.OneLine.Format(response));
                }
            }
            else if (descriptor.IsClientStreaming)
            {
                throw new UsageException($"{descriptor.Name} streams requests; orderctl calls unary and server-streaming methods");
            }
            else
            {
                var response = await connection.CallInvoker.AsyncUnaryCall(rpc, null, new CallOptions(cancellationToken: cancellation), request);
                Console.WriteLine(Rpc.Pretty.Format(response));
            }

            return 0;
        }));
        return command;
    }

    private static Command Methods()
    {
        var command = new Command("methods", "List every RPC with its request and response types");
        command.SetAction(_ =>
        {
            var rows = Rpc.Services.SelectMany(s => s.Methods).Select(m =>
                (Method: $"{m.Service.Name}.{m.Name}", Request: m.InputType.Name, Response: (m.IsServerStreaming ? "stream " : "") + m.OutputType.Name));
            if (Console.IsOutputRedirected)
            {
                foreach (var row in rows)
                {
                    Console.WriteLine($"{row.Method}\t{row.Request}\t{row.Response}");
                }
            }
            else
            {
                var table = new Table().AddColumns("Method", "Request", "Response");
                foreach (var row in rows)
                {
                    table.AddRow(Markup.Escape(row.Method), Markup.Escape(row.Request), Markup.Escape(row.Response));
                }

                AnsiConsole.Write(table);
            }

            return 0;
        });
        return command;
    }

    private static Command Token()
    {
        var role = new Argument<string>("role") { Description = "marketplace, seller or buyer" };
        role.AcceptOnlyFromAmong("marketplace", "seller", "buyer");
        var id = new Argument<string>("id") { Description = "The caller: a service name, a seller id or a buyer id" };
        var hours = new Option<int>("--hours") { Description = "Valid for this many hours", DefaultValueFactory = _ => 12 };
        var key = new Option<string>("--signing-key")
        {
            Description = "HMAC-SHA256 key, the server's Authentication:SigningKey (env ORDERSERVICE_SIGNING_KEY; default: the development key of `dotnet run`)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ORDERSERVICE_SIGNING_KEY") is { Length: > 0 } k ? k : DevelopmentSigningKey,
        };
        var command = new Command("token", "Mint a bearer token for development and tests (never for production: it needs the signing key)") { role, id, hours, key };
        command.SetAction(parse =>
        {
            var signingKey = parse.GetValue(key)!;
            if (signingKey.Length < 32)
            {
                Console.Error.WriteLine("error: the signing key must have at least 32 characters, as the server's");
                return 2;
            }

            Console.WriteLine(MintToken(parse.GetValue(role)!, parse.GetValue(id)!, TimeSpan.FromHours(parse.GetValue(hours)), signingKey));
            return 0;
        });
        return command;
    }

    /// <summary>The token the server accepts (README, "Access"): HS256, issuer and audience
    /// "orderservice", a role claim and the caller's id.</summary>
    public static string MintToken(string role, string id, TimeSpan lifetime, string signingKey)
    {
        var claims = new List<Claim> { new("role", role), new("sub", id) };
        if (role is "seller" or "buyer")
        {
            claims.Add(new Claim(role + "_id", id));
        }

        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "orderservice",
            Audience = "orderservice",
            Subject = new ClaimsIdentity(claims),
            NotBefore = now.AddMinutes(-1),
            IssuedAt = now,
            Expires = now.Add(lifetime),
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(signingKey)), SecurityAlgorithms.HmacSha256),
        });
    }

    private Command Subscribe()
    {
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep listening, reconnecting across server restarts, until Ctrl+C" };
        var cursorFile = new Option<string?>("--cursor-file") { Description = "Keep the cursor in this file: the next run resumes after the last notice printed" };
        var types = new Option<string[]>("--type") { Description = "Only this notification type (repeatable): ORDER_CANCELED or NOTIFICATION_TYPE_ORDER_CANCELED", AllowMultipleArgumentsPerToken = true };
        var orders = new Option<string[]>("--order-id") { Description = "Only this order (repeatable)", AllowMultipleArgumentsPerToken = true };
        var count = new Option<int?>("--count") { Description = "Stop after this many notices" };
        var command = new Command("subscribe", "Print the caller's notices as JSON, one per line. Without --follow it stops once caught up (the first heartbeat).")
        {
            follow, cursorFile, types, orders, count,
        };
        command.SetAction((parse, cancellation) => Run(parse, async connection =>
        {
            var request = new SubscribeRequest { OrderIds = { parse.GetValue(orders) ?? [] } };
            foreach (var type in parse.GetValue(types) ?? [])
            {
                var name = type.StartsWith("NOTIFICATION_TYPE_", StringComparison.OrdinalIgnoreCase) ? type.ToUpperInvariant() : "NOTIFICATION_TYPE_" + type.ToUpperInvariant();
                request.Types_.Add((NotificationType)(Rpc.EnumType("NotificationType").FindValueByName(name)?.Number
                    ?? throw new UsageException($"no such notification type: {type}")));
            }

            ICursorStore store = parse.GetValue(cursorFile) is { } path ? new FileCursorStore(path) : new MemoryCursorStore();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            var following = parse.GetValue(follow);
            RpcException? lost = null;
            var options = new ResumableSubscriptionOptions
            {
                OnHeartbeat = _ =>
                {
                    if (!following)
                    {
                        stop.Cancel();
                    }
                },
                OnReconnect = (failure, wait) =>
                {
                    if (!following)
                    {
                        // Not following: a stream that ended or failed is the end of the command.
                        lost = failure;
                        stop.Cancel();
                        return;
                    }

                    Console.Error.WriteLine($"reconnecting in {wait.TotalMilliseconds:0} ms{(failure is null ? "" : $" after {failure.Details()}")}");
                },
            };
            var limit = parse.GetValue(count) ?? int.MaxValue;
            var printed = 0;
            try
            {
                await using var notices = new ResumableSubscription(connection.Notifications, request, store, options)
                    .GetAsyncEnumerator(stop.Token);
                while (printed < limit && await notices.MoveNextAsync())
                {
                    Console.WriteLine(Rpc.OneLine.Format(notices.Current));
                    printed++;
                }

                // The last notice printed is processed: step once more so its cursor is
                // stored, unless the count says stop now.
                if (printed == limit)
                {
                    await SaveLast(store, notices.Current, stop.Token);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Caught up (no --follow), or Ctrl+C / SIGTERM: a normal end, unless the
                // stream failed before it caught up.
            }

            return lost is null ? 0 : throw lost;
        }));
        return command;
    }

    private static async Task SaveLast(ICursorStore store, Notification? notice, CancellationToken cancellation)
    {
        if (notice is not null)
        {
            await store.SaveAsync(notice.Cursor, cancellation);
        }
    }

    private Command Feed()
    {
        var kind = new Argument<string>("kind") { Description = "cancellation or adjustment" };
        kind.AcceptOnlyFromAmong("cancellation", "adjustment");
        var file = new Argument<FileInfo>("file") { Description = "Tab-separated with a header row (see clients/csharp/README.md), or JSON: the request or an array of its lines" };
        var validateOnly = new Option<bool>("--validate-only") { Description = "Check every line; change nothing" };
        var requestId = new Option<string?>("--request-id") { Description = "Idempotency key of the feed; default: derived from its content, so running the same file again never applies it twice" };
        var command = new Command("feed", "Submit a cancellation or adjustment feed from a file, 20,000 lines per request, with a progress bar on a terminal")
        {
            kind, file, validateOnly, requestId,
        };
        command.SetAction((parse, cancellation) => Run(parse, async connection =>
        {
            var path = parse.GetValue(file)!.FullName;
            if (!File.Exists(path))
            {
                throw new UsageException($"no such file: {path}");
            }

            var failed = 0;
            if (parse.GetValue(kind) == "cancellation")
            {
                var parts = FeedFiles.Parts("cancellation", FeedFiles.ReadCancellation(path), parse.GetValue(requestId));
                failed = await Submit(parts, async part =>
                {
                    var response = await connection.Orders.SubmitCancellationFeedAsync(new SubmitCancellationFeedRequest
                    {
                        RequestId = part.RequestId, Lines = { part.Lines }, ValidateOnly = parse.GetValue(validateOnly),
                    }, cancellationToken: cancellation);
                    return (response, response.Summary);
                });
            }
            else
            {
                var parts = FeedFiles.Parts("adjustment", FeedFiles.ReadAdjustment(path), parse.GetValue(requestId));
                failed = await Submit(parts, async part =>
                {
                    var response = await connection.Refunds.SubmitAdjustmentFeedAsync(new SubmitAdjustmentFeedRequest
                    {
                        RequestId = part.RequestId, Lines = { part.Lines }, ValidateOnly = parse.GetValue(validateOnly),
                    }, cancellationToken: cancellation);
                    return (response, response.Summary);
                });
            }

            return failed == 0 ? 0 : 3;
        }));
        return command;
    }

    /// <summary>Sends the parts one after the other, printing each answer; returns the lines
    /// refused.</summary>
    private static async Task<int> Submit<T>(List<(string RequestId, List<T> Lines)> parts, Func<(string RequestId, List<T> Lines), Task<(IMessage Response, FeedSummary Summary)>> send)
    {
        var total = parts.Sum(p => p.Lines.Count);
        int accepted = 0, failed = 0;
        async Task SendAll(Action<int>? advance)
        {
            foreach (var part in parts)
            {
                var (response, summary) = await send(part);
                Console.WriteLine(Rpc.Pretty.Format(response));
                accepted += summary.Accepted;
                failed += summary.Failed;
                advance?.Invoke(part.Lines.Count);
            }
        }

        if (Console.IsErrorRedirected)
        {
            await SendAll(null);
        }
        else
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            await console.Progress().StartAsync(async progress =>
            {
                var task = progress.AddTask($"{total} lines in {parts.Count} request(s)", maxValue: total);
                await SendAll(lines => task.Increment(lines));
            });
        }

        Console.Error.WriteLine($"feed: {total} lines, {accepted} accepted, {failed} refused");
        return failed;
    }

    private Command Report()
    {
        var type = new Option<string>("--type") { Description = "all or unshipped", DefaultValueFactory = _ => "all" };
        type.AcceptOnlyFromAmong("all", "unshipped");
        var output = new Option<FileInfo>("--out", "-o") { Description = "The flat file to write (tab-separated, UTF-8)", Required = true };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Orders purchased at or after (ISO 8601)" };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Orders purchased before (ISO 8601)" };
        var buyerRequests = new Option<bool>("--buyer-cancellation-requests") { Description = "Add the buyer's cancellation request columns (R31)" };
        var command = new Command("report", "Write the order report or the unshipped-orders report as the marketplace's flat file")
        {
            type, output, from, to, buyerRequests,
        };
        command.SetAction((parse, cancellation) => Run(parse, async connection =>
        {
            var request = new StreamOrderReportRequest
            {
                ReportType = parse.GetValue(type) == "unshipped" ? OrderReportType.UnshippedOrders : OrderReportType.AllOrders,
                IncludeBuyerCancellationRequest = parse.GetValue(buyerRequests),
            };
            if (parse.GetValue(from) is { } start)
            {
                request.PurchaseTimeStart = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(start);
            }

            if (parse.GetValue(to) is { } end)
            {
                request.PurchaseTimeEnd = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(end);
            }

            var path = parse.GetValue(output)!.FullName;
            var temporary = path + ".partial";
            long lines;
            await using (var file = new StreamWriter(temporary))
            {
                lines = await OrderReportFile.WriteAsync(connection.Orders, request, file, cancellation);
            }

            // Renamed only once complete: a failed report never leaves a file that looks whole.
            File.Move(temporary, path, overwrite: true);
            Console.Error.WriteLine($"report: {lines} lines written to {path}");
            return 0;
        }));
        return command;
    }

    private async Task<int> Run(ParseResult parse, Func<OrderServiceConnection, Task<int>> action)
    {
        try
        {
            if (!Uri.TryCreate(parse.GetValue(_address), UriKind.Absolute, out var address))
            {
                throw new UsageException($"--address: not an absolute URL: {parse.GetValue(_address)}");
            }

            using var connection = OrderServiceConnection.Create(address, parse.GetValue(_token));
            return await action(connection);
        }
        catch (RpcException e)
        {
            Console.Error.WriteLine($"error: {e.Details()}");
            return 1;
        }
        catch (Exception e) when (e is UsageException or FeedFileException or InvalidJsonException or InvalidProtocolBufferException
            or IOException or InvalidDataException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    private static string ReadArgument(string value) => value switch
    {
        "-" => Console.In.ReadToEnd(),
        _ when value.StartsWith('@') => File.Exists(value[1..]) ? File.ReadAllText(value[1..]) : throw new UsageException($"no such file: {value[1..]}"),
        _ => value,
    };

    private static IMessage ParseRequest(Google.Protobuf.Reflection.MessageDescriptor type, string json)
    {
        try
        {
            return Rpc.Parser.Parse(json, type);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new UsageException($"the request is not a {type.Name} in protobuf JSON: {e.Message}");
        }
    }
}

public sealed class UsageException(string message) : Exception(message);
