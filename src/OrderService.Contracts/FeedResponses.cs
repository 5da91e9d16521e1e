using Google.Protobuf.Collections;

namespace OrderService.Contracts.V1;

/// <summary>The answer of any feed (SubmitCancellationFeed, SubmitAdjustmentFeed): a
/// summary and one result per line. Lets one feed engine build and replay both.</summary>
public interface IFeedResponse
{
    FeedSummary Summary { get; set; }

    RepeatedField<FeedLineResult> Results { get; }
}

public sealed partial class SubmitCancellationFeedResponse : IFeedResponse;

public sealed partial class SubmitAdjustmentFeedResponse : IFeedResponse;
