using System.Globalization;
using Grpc.Core;
using nietras.SeparatedValues;
using OrderService.Contracts.V1;

namespace OrderService.Client;

/// <summary>Writes a report of StreamOrderReport as the marketplace's tab-separated flat
/// file: a header row of hyphenated column names, then one line per order item, UTF-8,
/// amounts in the currency's decimal form ("1099" yen, "19.99" dollars), times in UTC
/// ("2026-11-30T08:07:54+00:00"). The columns are listed in docs/reports.md.</summary>
public static class OrderReportFile
{
    /// <summary>The columns of every report, in order.</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "order-id", "order-item-id", "purchase-date", "payments-date", "sku", "product-name", "quantity-purchased",
        "currency", "item-price", "item-tax", "shipping-price", "shipping-tax", "ship-service-level", "recipient-name",
        "ship-address-1", "ship-address-2", "ship-address-3", "ship-city", "ship-state", "ship-postal-code", "ship-country",
    ];

    /// <summary>The columns the unshipped-orders report adds.</summary>
    public static readonly IReadOnlyList<string> UnshippedColumns = ["quantity-shipped", "quantity-to-ship", "days-past-promise", "auto-cancel-date"];

    /// <summary>The columns of the R31 toggle (include_buyer_cancellation_request).</summary>
    public static readonly IReadOnlyList<string> BuyerCancellationColumns = ["is-buyer-requested-cancellation", "buyer-requested-cancel-reason"];

    /// <summary>Streams the report <paramref name="request"/> asks for into <paramref name="output"/>
    /// and returns the number of lines written (order items). Rows are written as they
    /// arrive, so a report of any size holds one row in memory.</summary>
    public static async Task<long> WriteAsync(
        Contracts.V1.OrderService.OrderServiceClient client, StreamOrderReportRequest request, TextWriter output,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        using var call = client.StreamOrderReport(request, cancellationToken: cancellationToken);
        return await WriteAsync(call.ResponseStream.ReadAllAsync(cancellationToken), request.ReportType, request.IncludeBuyerCancellationRequest, output);
    }

    /// <summary>Writes the rows of a report into <paramref name="output"/>; returns the lines written.</summary>
    public static async Task<long> WriteAsync(
        IAsyncEnumerable<StreamOrderReportResponse> rows, OrderReportType reportType, bool includeBuyerCancellationRequest, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(output);
        var columns = Columns
            .Concat(reportType == OrderReportType.UnshippedOrders ? UnshippedColumns : [])
            .Concat(includeBuyerCancellationRequest ? BuyerCancellationColumns : [])
            .ToArray();

        // Escape: a tab, quote or line break inside a value (a product name, a reason) is
        // quoted RFC 4180 style instead of breaking the line.
        using var writer = Sep.New('\t').Writer(o => o with { Escape = true }).To(output, leaveOpen: true);
        writer.Header.Add(columns);
        long lines = 0;
        await foreach (var row in rows)
        {
            var order = row.Order;
            foreach (var item in order.Items)
            {
                using var line = writer.NewRow();
                var values = Values(row, order, item, reportType, includeBuyerCancellationRequest);
                for (var c = 0; c < columns.Length; c++)
                {
                    line[columns[c]].Set(values[columns[c]]);
                }

                lines++;
            }
        }

        // A report with no rows is still a file a tool can read: Sep writes the header alone.
        writer.Flush();
        return lines;
    }

    private static Dictionary<string, string> Values(
        StreamOrderReportResponse row, Order order, OrderItem item, OrderReportType reportType, bool includeBuyerCancellationRequest)
    {
        var address = order.ShippingAddress;
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["order-id"] = order.OrderId,
            ["order-item-id"] = item.OrderItemId,
            ["purchase-date"] = Time(order.PurchaseTime),
            ["payments-date"] = Time(order.PaymentAuthorizeTime),
            ["sku"] = item.Sku,
            ["product-name"] = item.Title,
            ["quantity-purchased"] = Number(item.QuantityOrdered),
            ["currency"] = order.CurrencyCode,
            ["item-price"] = Amount(item, ChargeComponent.Principal, order.CurrencyCode),
            ["item-tax"] = Amount(item, ChargeComponent.Tax, order.CurrencyCode),
            ["shipping-price"] = Amount(item, ChargeComponent.Shipping, order.CurrencyCode),
            ["shipping-tax"] = Amount(item, ChargeComponent.ShippingTax, order.CurrencyCode),
            // The service does not track a ship service level.
            ["ship-service-level"] = "",
            ["recipient-name"] = address?.RecipientName ?? "",
            ["ship-address-1"] = Line(address, 0),
            ["ship-address-2"] = Line(address, 1),
            ["ship-address-3"] = Line(address, 2),
            ["ship-city"] = address?.Locality ?? "",
            ["ship-state"] = address?.AdministrativeArea ?? "",
            ["ship-postal-code"] = address?.PostalCode ?? "",
            ["ship-country"] = address?.RegionCode ?? "",
        };
        if (reportType == OrderReportType.UnshippedOrders)
        {
            values["quantity-shipped"] = Number(item.QuantityShipped);
            values["quantity-to-ship"] = Number(item.QuantityUnshipped);
            values["days-past-promise"] = Number(row.DaysPastPromise);
            values["auto-cancel-date"] = Time(order.AutoCancelTime);
        }

        if (includeBuyerCancellationRequest)
        {
            values["is-buyer-requested-cancellation"] = row.IsBuyerRequestedCancellation ? "true" : "false";
            values["buyer-requested-cancel-reason"] = row.BuyerCancellationReason;
        }

        return values;
    }

    private static string Line(ShippingAddress? address, int index) =>
        address is not null && address.AddressLines.Count > index ? address.AddressLines[index] : "";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Time(Google.Protobuf.WellKnownTypes.Timestamp? time) =>
        time is null ? "" : time.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);

    /// <summary>The item's charge for a component over its units, in the currency's decimal
    /// form; empty when the item was not charged it.</summary>
    private static string Amount(OrderItem item, ChargeComponent component, string currencyCode)
    {
        var unit = item.UnitCharges.FirstOrDefault(c => c.Component == component)?.Amount;
        if (unit is null)
        {
            return "";
        }

        var perUnit = unit.Units + (unit.Nanos / 1_000_000_000m);
        var digits = currencyCode is "JPY" or "KRW" ? 0 : 2;
        return (perUnit * item.QuantityOrdered).ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}
