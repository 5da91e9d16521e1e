using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;

namespace OrderService.Client;

/// <summary>Gives every mutating request a <c>request_id</c> (AIP-155) when the caller set
/// none, on the caller's own message: the channel's retries resend that same message, and a
/// caller that retries by hand after a deadline sends it again, so every attempt carries one
/// id and the server applies the change once.</summary>
public sealed class RequestIdInterceptor : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context,
        AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        RequestIds.Ensure(request);
        return continuation(request, context);
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context,
        BlockingUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        RequestIds.Ensure(request);
        return continuation(request, context);
    }
}

public static class RequestIds
{
    /// <summary>Sets a new UUID as the message's <c>request_id</c> when it has that field and
    /// it is empty; returns the id it carries now (null for a message without the field).</summary>
    public static string? Ensure(object request)
    {
        if (request is not IMessage message
            || message.Descriptor.FindFieldByName("request_id") is not { FieldType: FieldType.String } field)
        {
            return null;
        }

        var id = (string)field.Accessor.GetValue(message);
        if (id.Length == 0)
        {
            id = Guid.NewGuid().ToString();
            field.Accessor.SetValue(message, id);
        }

        return id;
    }

    /// <summary>How soon a channel tries its connection again after the server went away:
    /// from 200 ms up to 2 s, not gRPC's default of up to 2 minutes, so a restarted server is
    /// reached within the retries; and a retry buffer that holds a whole feed.</summary>
    public static void ReconnectSoon(GrpcChannelOptions options)
    {
        options.InitialReconnectBackoff = TimeSpan.FromMilliseconds(200);
        options.MaxReconnectBackoff = TimeSpan.FromSeconds(2);
        // A retry resends the buffered request: a feed of 20,000 lines is several MB, over the
        // default 1 MB per call past which a call is not retried.
        options.MaxRetryBufferPerCallSize = 32 * 1024 * 1024;
        options.MaxRetryBufferSize = 128 * 1024 * 1024;
    }

    /// <summary>The channel's retry policy: UNAVAILABLE (the server restarting, a connection
    /// lost) and ABORTED (concurrent changes kept conflicting) are retried up to 5 attempts,
    /// waits drawn up to 0.5 s doubling to 5 s (about 4 s in all: a restart of the server),
    /// with the same message and so the same request_id. A
    /// DEADLINE_EXCEEDED is the caller's to retry: send the same message again.</summary>
    public static ServiceConfig RetryingServiceConfig() => new()
    {
        MethodConfigs =
        {
            new MethodConfig
            {
                Names = { MethodName.Default },
                RetryPolicy = new RetryPolicy
                {
                    MaxAttempts = 5,
                    InitialBackoff = TimeSpan.FromMilliseconds(500),
                    MaxBackoff = TimeSpan.FromSeconds(5),
                    BackoffMultiplier = 2,
                    RetryableStatusCodes = { StatusCode.Unavailable, StatusCode.Aborted },
                },
            },
        },
    };
}
