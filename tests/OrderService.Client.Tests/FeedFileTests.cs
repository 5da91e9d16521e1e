using OrderService.Contracts.V1;
using OrderService.OrderCtl;

namespace OrderService.Client.Tests;

/// <summary>orderctl's feed files: what a seller's spreadsheet export becomes.</summary>
public sealed class FeedFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("feed-files.").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void A_cancellation_tsv_takes_the_marketplace_feed_codes_and_the_enum_names()
    {
        var path = Write("cancel.tsv", "order-id\tcancel-reason\trequester\tnote\n"
            + "250-1\tNoInventory\t\tsold out\n"
            + "250-2\tCANCEL_REASON_BUYER_CANCELED\tBUYER_MESSAGE\t\"asked by mail\tagain\"\n");

        var lines = FeedFiles.ReadCancellation(path);

        Assert.Equal(2, lines.Count);
        Assert.Equal(new CancellationFeedLine { OrderId = "250-1", Reason = CancelReason.NoInventory, Note = "sold out" }, lines[0]);
        Assert.Equal(CancelReason.BuyerCanceled, lines[1].Reason);
        Assert.Equal(CancellationRequester.BuyerMessage, lines[1].Requester);
        Assert.Equal("asked by mail\tagain", lines[1].Note);
    }

    [Fact]
    public void An_unknown_reason_names_the_line_the_column_and_the_choices()
    {
        var path = Write("cancel.tsv", "order-id\treason\n250-1\tNoInventory\n250-2\tSoldOut\n");

        var refused = Assert.Throws<FeedFileException>(() => FeedFiles.ReadCancellation(path));

        Assert.Contains("line 3: reason \"SoldOut\" is none of NO_INVENTORY", refused.Message);
    }

    [Fact]
    public void A_missing_column_is_named()
    {
        var path = Write("cancel.tsv", "order\treason\n250-1\tNoInventory\n");

        var refused = Assert.Throws<FeedFileException>(() => FeedFiles.ReadCancellation(path));

        Assert.Contains("no column orderid", refused.Message);
    }

    [Fact]
    public void Adjustment_rows_of_one_order_are_one_line_with_exact_amounts()
    {
        var path = Write("adjust.tsv", "order-id\treason\torder-item-id\tcomponent\tamount\tcurrency\n"
            + "250-1\tCustomerReturn\tA\tPRINCIPAL\t10.50\tUSD\n"
            + "250-1\tCustomerReturn\tA\tSHIPPING\t0.99\tUSD\n"
            + "250-2\tCUSTOMER_RETURN\tB\tPrincipal\t1099\tJPY\n");

        var lines = FeedFiles.ReadAdjustment(path);

        Assert.Equal(2, lines.Count);
        var item = Assert.Single(lines[0].Items);
        Assert.Equal([(ChargeComponent.Principal, 10L, 500_000_000), (ChargeComponent.Shipping, 0L, 990_000_000)],
            item.Amounts.Select(a => (a.Component, a.Amount.Units, a.Amount.Nanos)));
        Assert.Equal(1099, lines[1].Items[0].Amounts[0].Amount.Units);
    }

    [Fact]
    public void An_amount_finer_than_a_nano_is_refused_not_rounded()
    {
        var path = Write("adjust.tsv", "order-id\treason\torder-item-id\tcomponent\tamount\tcurrency\n250-1\tCustomerReturn\tA\tPRINCIPAL\t1.0000000001\tUSD\n");

        var refused = Assert.Throws<FeedFileException>(() => FeedFiles.ReadAdjustment(path));

        Assert.Contains("more than 9 decimals", refused.Message);
    }

    [Fact]
    public void A_json_array_of_lines_is_a_feed()
    {
        var path = Write("cancel.json", """[{"orderId": "250-1", "reason": "CANCEL_REASON_NO_INVENTORY"}]""");

        var line = Assert.Single(FeedFiles.ReadCancellation(path));

        Assert.Equal(CancelReason.NoInventory, line.Reason);
    }

    [Fact]
    public void A_large_feed_is_cut_into_requests_whose_ids_are_the_same_on_every_run()
    {
        var lines = Enumerable.Range(1, 45_000)
            .Select(i => new CancellationFeedLine { OrderId = $"250-{i}", Reason = CancelReason.NoInventory }).ToList();

        var parts = FeedFiles.Parts("cancellation", lines, requestId: null);
        var again = FeedFiles.Parts("cancellation", lines, requestId: null);
        lines[^1].Note = "changed";
        var changed = FeedFiles.Parts("cancellation", lines, requestId: null);

        Assert.Equal([20_000, 20_000, 5_000], parts.Select(p => p.Lines.Count));
        Assert.Equal(parts.Select(p => p.RequestId), again.Select(p => p.RequestId));
        Assert.Equal(3, parts.Select(p => p.RequestId).Distinct().Count());
        Assert.All(parts, p => Assert.True(Guid.TryParse(p.RequestId, out _)));
        Assert.NotEqual(parts[0].RequestId, changed[0].RequestId);
    }
}
