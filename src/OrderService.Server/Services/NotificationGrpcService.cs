using System.Globalization;
using Grpc.Core;
using OrderService.Contracts.V1;
using OrderService.Domain;
using OrderService.Server.Access;
using OrderService.Server.Errors;
using OrderService.Server.Notifications;

namespace OrderService.Server.Services;

/// <summary>orderservice.v1.NotificationService: validate, then stream from the log.</summary>
public sealed class NotificationGrpcService(NotificationFeed feed) : NotificationService.NotificationServiceBase
{
    private const int MaxOrderIds = 1000;

    public override Task Subscribe(SubscribeRequest request, IServerStreamWriter<SubscribeResponse> responseStream, ServerCallContext context)
    {
        var caller = AccessInterceptor.CallerOf(context);
        var audience = caller.Role == CallerRole.Seller ? Domain.NotificationAudience.Seller : Domain.NotificationAudience.Buyer;
        var v = new RequestValidator();

        long? resumeAfter = null;
        if (request.ResumeAfter.Length > 0)
        {
            // Digits only: .NET's number parsing also accepts trailing NUL characters ("1\0").
            if (request.ResumeAfter.Length <= 19 && request.ResumeAfter.All(char.IsAsciiDigit)
                && long.TryParse(request.ResumeAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var cursor))
            {
                resumeAfter = cursor;
            }
            else
            {
                v.Add("resume_after", "not a cursor this service returned");
            }
        }

        var audienceTypes = NotificationRouting.TypesFor(audience);
        var types = new List<OrderEventType>();
        for (var i = 0; i < request.Types_.Count; i++)
        {
            v.DefinedEnum(request.Types_[i], $"types[{i}]");
            var type = (OrderEventType)request.Types_[i];
            if (request.Types_[i] != NotificationType.Unspecified && Enum.IsDefined(request.Types_[i]) && !audienceTypes.Contains(type))
            {
                v.Add($"types[{i}]", $"{request.Types_[i]} is not sent to {audience.ToString().ToLowerInvariant()}s");
            }

            types.Add(type);
        }

        v.Range(request.OrderIds.Count, "order_ids", 0, MaxOrderIds);
        for (var i = 0; i < request.OrderIds.Count; i++)
        {
            v.Identifier(request.OrderIds[i], $"order_ids[{i}]");
        }

        v.ThrowIfInvalid();
        var subscription = new Subscription(
            caller,
            audience,
            (types.Count > 0 ? types.Distinct() : audienceTypes).Select(t => t.ToString()).ToList(),
            request.OrderIds.Distinct().ToList(),
            resumeAfter);
        return feed.StreamAsync(subscription, new StreamTransport(
            (notice, cancellationToken) => responseStream.WriteAsync(notice, cancellationToken),
            cursor => context.WriteResponseHeadersAsync(new Metadata
            {
                { NotificationFeed.StartCursorHeader, cursor.ToString(CultureInfo.InvariantCulture) },
            }),
            () => context.GetHttpContext().Abort(),
            context.CancellationToken));
    }
}
