using System.Diagnostics;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Net.Client;
using OrderService.IntegrationTests.Infrastructure;
using OrderService.Server.Access;
using OrderService.Server.Notifications;

namespace OrderService.IntegrationTests.BadInput;

/// <summary>What one call of the corpus got: the status code, the error (with its details)
/// when it failed, the response messages when it did not, and how long it took.</summary>
public sealed record CallOutcome(StatusCode Code, RpcException? Error, IReadOnlyList<IMessage> Responses, TimeSpan Elapsed);

/// <summary>Calls any method of the contract with request bytes as they are, through the
/// in-process server's handler: a marshaller that passes bytes through, so a request can be
/// a valid message, a mutated one, or bytes no client library would send (invalid UTF-8,
/// garbage). Every call has a deadline: a refusal must come in bounded time.</summary>
public sealed class RawCalls(ServerFixture server) : IDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(bytes => bytes, bytes => bytes);

    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(server.Server.BaseAddress, new GrpcChannelOptions
    {
        HttpHandler = server.Server.CreateHandler(),
        MaxReceiveMessageSize = 64 * 1024 * 1024,
        MaxSendMessageSize = null,
    });

    public static string Token(string role, string id) =>
        TokenMinter.Mint(ServerFixture.Tokens, role, id, TimeSpan.FromHours(1), DateTimeOffset.UtcNow);

    /// <summary>One call. A server-streaming call is read to its end, except Subscribe, which
    /// never ends by itself: it counts as accepted once its start cursor header arrives (the
    /// server sends it only after every check passed), and is then cancelled.</summary>
    public async Task<CallOutcome> CallAsync(MethodDescriptor method, string token, byte[] request)
    {
        var type = method.IsServerStreaming ? MethodType.ServerStreaming : MethodType.Unary;
        var grpcMethod = new Method<byte[], byte[]>(type, method.Service.FullName, method.Name, Bytes, Bytes);
        var options = new CallOptions(new Metadata { { "authorization", $"Bearer {token}" } }, DateTime.UtcNow + Deadline);
        var invoker = _channel.CreateCallInvoker();
        var responses = new List<IMessage>();
        var watch = Stopwatch.StartNew();
        try
        {
            if (type == MethodType.Unary)
            {
                responses.Add(method.OutputType.Parser.ParseFrom(await invoker.AsyncUnaryCall(grpcMethod, null, options, request)));
            }
            else
            {
                using var call = invoker.AsyncServerStreamingCall(grpcMethod, null, options, request);
                var headers = await call.ResponseHeadersAsync;
                if (headers.Get(NotificationFeed.StartCursorHeader) is null)
                {
                    while (await call.ResponseStream.MoveNext(CancellationToken.None))
                    {
                        responses.Add(method.OutputType.Parser.ParseFrom(call.ResponseStream.Current));
                    }
                }
            }

            return new CallOutcome(StatusCode.OK, null, responses, watch.Elapsed);
        }
        catch (RpcException exception)
        {
            return new CallOutcome(exception.StatusCode, exception, responses, watch.Elapsed);
        }
    }

    public void Dispose() => _channel.Dispose();
}
