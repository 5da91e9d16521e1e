using OrderService.Application.Feeds;
using OrderService.Server.Errors;

namespace OrderService.Server.Services;

/// <summary>The shape check of any feed's lines: each line on its own, so that a line with
/// a bad shape keeps its INVALID_ARGUMENT as its result and the others go on (R10, R20).</summary>
internal static class FeedRequests
{
    public static List<FeedLine<TCommand>> Lines<TLine, TCommand>(
        IReadOnlyList<TLine> lines, Func<TLine, string> orderIdOf, Func<RequestValidator, TLine, TCommand> check)
        where TCommand : class
    {
        var checkedLines = new List<FeedLine<TCommand>>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var v = new RequestValidator();
            var command = check(v, lines[i]);
            checkedLines.Add(v.IsValid
                ? new FeedLine<TCommand>(i + 1, orderIdOf(lines[i]), command, null)
                : new FeedLine<TCommand>(i + 1, orderIdOf(lines[i]), null, RefusalOf(v)));
        }

        return checkedLines;
    }

    /// <summary>The INVALID_ARGUMENT status the collected violations make.</summary>
    private static Google.Rpc.Status RefusalOf(RequestValidator v)
    {
        try
        {
            v.ThrowIfInvalid();
        }
        catch (Grpc.Core.RpcException exception)
        {
            return RpcErrors.StatusOf(exception);
        }

        throw new InvalidOperationException("RefusalOf is only for a request with violations.");
    }
}
