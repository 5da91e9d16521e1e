using Grpc.Core;
using OrderService.Client;
using OrderService.Contracts.V1;
using OrderService.Server.Notifications;

namespace OrderService.IntegrationTests.Infrastructure;

/// <summary>Subscribing to the notification stream and reading notices from it.</summary>
public static class Notices
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    /// <summary>Starts a subscription and waits until the server has it in place: nothing
    /// committed after this returns can be missed.</summary>
    public static async Task<AsyncServerStreamingCall<SubscribeResponse>> Subscribed(OrderServiceConnection connection, SubscribeRequest request)
    {
        var call = connection.Notifications.Subscribe(request);
        var headers = await call.ResponseHeadersAsync.WaitAsync(Patience);
        Assert.NotNull(headers.GetValue(NotificationFeed.StartCursorHeader));
        return call;
    }

    /// <summary>The next <paramref name="count"/> notices, skipping heartbeats.</summary>
    public static async Task<List<Notification>> Next(AsyncServerStreamingCall<SubscribeResponse> call, int count)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var notices = new List<Notification>();
        while (notices.Count < count)
        {
            Assert.True(await call.ResponseStream.MoveNext(timeout.Token), $"the stream ended after {notices.Count} of {count} notices");
            if (call.ResponseStream.Current.Notification is { } notice)
            {
                notices.Add(notice);
            }
        }

        return notices;
    }
}
