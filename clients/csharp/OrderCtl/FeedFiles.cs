using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Type;
using nietras.SeparatedValues;
using OrderService.Contracts.V1;

namespace OrderService.OrderCtl;

/// <summary>A feed file refused before anything was sent: the message names the line and
/// the column.</summary>
public sealed class FeedFileException(string message) : Exception(message);

/// <summary>Reads a cancellation or adjustment feed from a tab-separated file (a header row,
/// then one row per line) or from JSON (the request, or an array of its lines), and cuts
/// it into requests of at most 20,000 lines, the most one feed request takes.</summary>
public static class FeedFiles
{
    public const int MaxLinesPerRequest = 20_000;

    public static List<CancellationFeedLine> ReadCancellation(string path)
    {
        if (IsJson(path))
        {
            return [.. ParseJson<SubmitCancellationFeedRequest>(path).Lines];
        }

        var lines = new List<CancellationFeedLine>();
        foreach (var row in ReadTsv(path, required: ["orderid", "reason"], optional: ["requester", "note"]))
        {
            lines.Add(new CancellationFeedLine
            {
                OrderId = row.Get("orderid"),
                Reason = Enum<CancelReason>(row, "reason", Rpc.EnumType("CancelReason"), "CANCEL_REASON_"),
                Requester = row.Has("requester")
                    ? Enum<CancellationRequester>(row, "requester", Rpc.EnumType("CancellationRequester"), "CANCELLATION_REQUESTER_")
                    : CancellationRequester.Unspecified,
                Note = row.Get("note"),
            });
        }

        return lines;
    }

    /// <summary>Adjustment rows: order-id, reason, order-item-id, component, amount, currency;
    /// consecutive rows of one order and reason are one feed line, and its rows of one item
    /// one ItemRefund. Deductions need the JSON form.</summary>
    public static List<AdjustmentFeedLine> ReadAdjustment(string path)
    {
        if (IsJson(path))
        {
            return [.. ParseJson<SubmitAdjustmentFeedRequest>(path).Lines];
        }

        var lines = new List<AdjustmentFeedLine>();
        foreach (var row in ReadTsv(path, required: ["orderid", "reason", "orderitemid", "component", "amount", "currency"], optional: []))
        {
            var reason = Enum<AdjustmentReason>(row, "reason", Rpc.EnumType("AdjustmentReason"), "ADJUSTMENT_REASON_");
            var line = lines.Count > 0 && lines[^1].OrderId == row.Get("orderid") && lines[^1].Reason == reason ? lines[^1] : null;
            if (line is null)
            {
                line = new AdjustmentFeedLine { OrderId = row.Get("orderid"), Reason = reason };
                lines.Add(line);
            }

            var itemId = row.Get("orderitemid");
            var item = line.Items.FirstOrDefault(i => i.OrderItemId == itemId);
            if (item is null)
            {
                item = new ItemRefund { OrderItemId = itemId };
                line.Items.Add(item);
            }

            item.Amounts.Add(new ChargeAmount
            {
                Component = Enum<ChargeComponent>(row, "component", Rpc.EnumType("ChargeComponent"), "CHARGE_COMPONENT_"),
                Amount = Money(row, row.Get("amount"), row.Get("currency")),
            });
        }

        return lines;
    }

    /// <summary>Cuts <paramref name="lines"/> into parts of at most 20,000, each with a
    /// request_id derived from <paramref name="requestId"/> (or, when empty, from the feed's
    /// content): running the same command again after a crash or a lost answer resends the
    /// same ids, and the server answers each part it already ran from its stored answer
    /// instead of running it twice.</summary>
    public static List<(string RequestId, List<T> Lines)> Parts<T>(string kind, IReadOnlyList<T> lines, string? requestId)
        where T : IMessage
    {
        if (lines.Count == 0)
        {
            throw new FeedFileException("the feed has no lines");
        }

        var baseId = requestId;
        if (string.IsNullOrEmpty(baseId))
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData(Encoding.UTF8.GetBytes(kind));
            foreach (var line in lines)
            {
                hash.AppendData(line.ToByteArray());
                hash.AppendData([0]);
            }

            baseId = Convert.ToHexString(hash.GetHashAndReset());
        }

        return lines.Chunk(MaxLinesPerRequest)
            .Select((part, index) => (
                lines.Count <= MaxLinesPerRequest && !string.IsNullOrEmpty(requestId) ? requestId : DerivedId(baseId, index),
                part.ToList()))
            .ToList();
    }

    /// <summary>A UUID (version 8, RFC 9562) from SHA-256 of the base and the part number.</summary>
    private static string DerivedId(string baseId, int part)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{baseId}:{part}"))[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString();
    }

    private static bool IsJson(string path) =>
        path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || File.ReadAllText(path).TrimStart().StartsWith('{')
        || File.ReadAllText(path).TrimStart().StartsWith('[');

    /// <summary>The request as JSON, or just its lines as a JSON array.</summary>
    private static T ParseJson<T>(string path)
        where T : IMessage<T>, new()
    {
        var json = File.ReadAllText(path).Trim();
        if (json.StartsWith('['))
        {
            json = "{\"lines\": " + json + "}";
        }

        try
        {
            return Rpc.Parser.Parse<T>(json);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FeedFileException($"{path}: not a feed in protobuf JSON: {e.Message}");
        }
    }

    private static IEnumerable<Row> ReadTsv(string path, string[] required, string[] optional)
    {
        using var reader = Sep.New('\t').Reader(o => o with { Unescape = true, HasHeader = true }).FromFile(path);
        // Header names match loosely: "order-id", "order_id" and "OrderId" are one column.
        var columns = new Dictionary<string, int>();
        for (var i = 0; i < reader.Header.ColNames.Count; i++)
        {
            var name = Normalize(reader.Header.ColNames[i]);
            columns[name == "cancelreason" || name == "adjustmentreason" ? "reason" : name] = i;
        }

        var missing = required.Where(c => !columns.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            throw new FeedFileException($"{path}: the header has no column {string.Join(", ", missing)} (columns: {string.Join(", ", reader.Header.ColNames)})");
        }

        var wanted = required.Concat(optional).Where(columns.ContainsKey).ToList();
        var lineNumber = 1;
        foreach (var row in reader)
        {
            lineNumber++;
            var values = new Dictionary<string, string>();
            foreach (var column in wanted)
            {
                values[column] = row[columns[column]].ToString();
            }

            yield return new Row(path, lineNumber, values);
        }
    }

    private static string Normalize(string header) =>
        new(header.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    /// <summary>A value as the enum's full name ("CANCEL_REASON_NO_INVENTORY"), without its
    /// prefix ("NO_INVENTORY"), or as the marketplace's feed code ("NoInventory").</summary>
    private static T Enum<T>(Row row, string column, EnumDescriptor descriptor, string prefix)
        where T : struct, Enum
    {
        var value = row.Get(column).Trim();
        var screaming = string.Concat(value.Select((c, i) => i > 0 && char.IsUpper(c) && char.IsLower(value[i - 1]) ? "_" + c : c.ToString()))
            .ToUpperInvariant();
        foreach (var candidate in new[] { value.ToUpperInvariant(), prefix + value.ToUpperInvariant(), prefix + screaming })
        {
            if (descriptor.FindValueByName(candidate) is { Number: > 0 } found)
            {
                return (T)(object)found.Number;
            }
        }

        throw new FeedFileException($"{row.Path} line {row.Line}: {column} \"{value}\" is none of "
            + string.Join(", ", descriptor.Values.Where(v => v.Number > 0).Select(v => v.Name[prefix.Length..])));
    }

    /// <summary>"1099" JPY or "10.50" USD as google.type.Money, exactly.</summary>
    private static Money Money(Row row, string amount, string currency)
    {
        if (!decimal.TryParse(amount, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            throw new FeedFileException($"{row.Path} line {row.Line}: amount \"{amount}\" is not a plain decimal number");
        }

        var units = decimal.Truncate(value);
        var nanos = (value - units) * 1_000_000_000m;
        if (nanos != decimal.Truncate(nanos))
        {
            throw new FeedFileException($"{row.Path} line {row.Line}: amount \"{amount}\" has more than 9 decimals");
        }

        return new Money { CurrencyCode = currency.Trim(), Units = (long)units, Nanos = (int)nanos };
    }

    private sealed record Row(string Path, int Line, Dictionary<string, string> Values)
    {
        public bool Has(string column) => Values.TryGetValue(column, out var v) && v.Length > 0;

        public string Get(string column) => Values.TryGetValue(column, out var v) ? v : "";
    }
}
