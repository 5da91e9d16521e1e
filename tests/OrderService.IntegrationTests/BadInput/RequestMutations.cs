using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace OrderService.IntegrationTests.BadInput;

/// <summary>The kinds of bad input the corpus makes of a valid request, by field type.</summary>
public enum Mutation
{
    // string
    Empty,
    Blank,
    Oversized,
    ControlCharacters,
    Nul,
    TrailingNewline,

    // int32
    Zero,
    Negative,
    MinValue,
    MaxValue,

    // enums
    Unspecified,
    UnknownNumber,
    NegativeNumber,

    // a singular message, Money, Timestamp or Duration, or a proto3 optional scalar, left out
    Missing,

    // a message present with none of its fields
    EmptyMessage,

    // repeated fields
    NoElements,
    Duplicated,
    TooMany,

    // google.type.Money
    WrongCurrency,
    CurrencyEmpty,
    CurrencyLowerCase,
    UnsupportedCurrency,
    CurrencyOversized,
    UnitsNegative,
    UnitsMinValue,
    UnitsOverflow,
    NanosNegative,
    NanosOutOfRange,
    HalfMinorUnit,
    OneNano,

    // google.protobuf.Timestamp
    FarPast,
    FarFuture,
    BeforeYear1,
    AfterYear9999,
    SecondsMinValue,
    SecondsMaxValue,
    TimeNanosNegative,
    TimeNanosOutOfRange,

    // google.protobuf.Duration
    DurationNegative,
    DurationZero,
    DurationTooLong,
    DurationSecondsOverflow,
    DurationNanosOutOfRange,
    DurationMixedSigns,

    // bytes on the wire
    InvalidUtf8,
    GarbageBytes,
    TruncatedMessage,
}

/// <summary>One generated mutation: what it does to which field (a proto path as the server
/// names fields, "items[0].unit_charges[0].amount"), applied to a copy of a valid request.</summary>
public sealed record GeneratedMutation(string Path, Mutation Kind, Func<IMessage, byte[]> Apply);

/// <summary>Generates bad inputs from a request's descriptor: each differs from the valid
/// request in one field (for a repeated field, in its element count or its first element),
/// as the field's type calls for. Nested messages are walked (a repeated one through its
/// first element); google.type.Money, google.protobuf.Timestamp and Duration get mutations
/// of their own instead of their fields'. Plain bools get none: both values are valid.</summary>
public static class RequestMutations
{
    /// <summary>Longer than any string field's limit (the longest is 1000 characters).</summary>
    public const int OversizedLength = 100_001;

    /// <summary>Elements sent for "too many" where the protos document no maximum.</summary>
    public const int TooManyWithoutLimit = 10_001;

    /// <summary>The maxima the protos document for repeated fields; "too many" sends one
    /// more. Fields not listed get <see cref="TooManyWithoutLimit"/> elements.</summary>
    public static readonly IReadOnlyDictionary<string, int> DocumentedMaxima = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["orderservice.v1.CreateOrderRequest.items"] = 100, // "The items: 1-100"
        ["orderservice.v1.ShippingAddress.address_lines"] = 3, // "Street lines, one to three"
        ["orderservice.v1.SubmitCancellationFeedRequest.lines"] = 20_000, // "The lines: 1-20000"
        ["orderservice.v1.SubmitAdjustmentFeedRequest.lines"] = 20_000, // "The lines: 1-20000"
        ["orderservice.v1.RefundOrderRequest.items"] = 1000, // "at most 1000 items"
        ["orderservice.v1.CancelItemsRequest.items"] = 1000, // "at most 1000 lines"
        ["orderservice.v1.RecordReturnRequest.lines"] = 1000, // "at most 1000 lines"
    };

    private const string MoneyType = "google.type.Money";
    private const string TimestampType = "google.protobuf.Timestamp";
    private const string DurationType = "google.protobuf.Duration";

    /// <summary>A value placed in a string field, found again in the serialized bytes and
    /// replaced there by bytes that are not UTF-8 of the same length.</summary>
    private static readonly byte[] Marker = "\u0001\u0002\u0003\u0004"u8.ToArray();

    /// <summary>A lone surrogate as a JavaScript client encodes it (CESU), then a letter.</summary>
    private static readonly byte[] NotUtf8 = [0xED, 0xA0, 0x80, 0x41];

    public static List<GeneratedMutation> Generate(IMessage valid)
    {
        var mutations = new List<GeneratedMutation>();
        Walk(valid, root => root, "", mutations);
        foreach (var (path, slot) in StringSlots(valid, root => root, ""))
        {
            mutations.Add(new GeneratedMutation(path, Mutation.InvalidUtf8, request => WithInvalidUtf8(request, slot)));
        }

        mutations.Add(new GeneratedMutation("", Mutation.GarbageBytes, _ => [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01, 0x02, 0x7A]));
        mutations.Add(new GeneratedMutation("", Mutation.TruncatedMessage, request =>
        {
            var bytes = request.ToByteArray();
            return bytes[..^1];
        }));
        return mutations;
    }

    /// <summary>Where one value lives in a request: read and written from the root message.</summary>
    private sealed record Slot(Func<IMessage, object?> Get, Action<IMessage, object?> Set);

    private static void Walk(IMessage sample, Func<IMessage, IMessage> locate, string prefix, List<GeneratedMutation> output)
    {
        foreach (var field in sample.Descriptor.Fields.InFieldNumberOrder())
        {
            var path = prefix + field.Name;
            if (field.IsRepeated)
            {
                var elements = (IList)field.Accessor.GetValue(sample);
                RepeatedMutations(field, locate, path, elements.Count, output);
                if (elements.Count == 0)
                {
                    continue; // no element to mutate
                }

                var slot = new Slot(
                    root => ((IList)field.Accessor.GetValue(locate(root)))[0],
                    (root, value) => ((IList)field.Accessor.GetValue(locate(root)))[0] = value);
                ValueMutations(field, slot, elements[0], $"{path}[0]", singular: false, output);
                if (field.FieldType == FieldType.Message && !IsSpecial(field.MessageType))
                {
                    Walk((IMessage)elements[0]!, root => (IMessage)((IList)field.Accessor.GetValue(locate(root)))[0]!, $"{path}[0].", output);
                }
            }
            else
            {
                var slot = new Slot(
                    root => field.Accessor.GetValue(locate(root)),
                    (root, value) => field.Accessor.SetValue(locate(root), value!));
                var value = field.Accessor.GetValue(sample);
                ValueMutations(field, slot, value, path, singular: true, output, clear: root => field.Accessor.Clear(locate(root)));
                if (field.FieldType == FieldType.Message && !IsSpecial(field.MessageType) && value is IMessage nested)
                {
                    Walk(nested, root => (IMessage)field.Accessor.GetValue(locate(root)), $"{path}.", output);
                }
            }
        }
    }

    private static bool IsSpecial(MessageDescriptor type) => type.FullName is MoneyType or TimestampType or DurationType;

    private static void RepeatedMutations(FieldDescriptor field, Func<IMessage, IMessage> locate, string path, int count, List<GeneratedMutation> output)
    {
        IList ListOf(IMessage root) => (IList)field.Accessor.GetValue(locate(root));
        if (count == 0)
        {
            return; // an empty valid list: nothing to remove, nothing to repeat
        }

        output.Add(new GeneratedMutation(path, Mutation.NoElements, Change(root => ListOf(root).Clear())));
        output.Add(new GeneratedMutation(path, Mutation.Duplicated, Change(root =>
        {
            var list = ListOf(root);
            list.Add(Copy(field, list[0]));
        })));
        var tooMany = DocumentedMaxima.TryGetValue(field.FullName, out var max) ? max + 1 : TooManyWithoutLimit;
        output.Add(new GeneratedMutation(path, Mutation.TooMany, Change(root =>
        {
            var list = ListOf(root);
            var first = list[0];
            list.Clear();
            for (var i = 0; i < tooMany; i++)
            {
                list.Add(Copy(field, first));
            }
        })));
    }

    private static object? Copy(FieldDescriptor field, object? value) =>
        value is IMessage message ? field.MessageType.Parser.ParseFrom(message.ToByteArray()) : value;

    private static Func<IMessage, byte[]> Change(Action<IMessage> change) => request =>
    {
        change(request);
        return request.ToByteArray();
    };

    private static Func<IMessage, byte[]> Set(Slot slot, object? value) => Change(root => slot.Set(root, value));

    private static void ValueMutations(
        FieldDescriptor field, Slot slot, object? value, string path, bool singular, List<GeneratedMutation> output, Action<IMessage>? clear = null)
    {
        void Add(Mutation kind, Func<IMessage, byte[]> apply) => output.Add(new GeneratedMutation(path, kind, apply));

        switch (field.FieldType)
        {
            case FieldType.String:
                var text = (string)value!;
                foreach (var (kind, bad) in new (Mutation, string)[]
                {
                    (Mutation.Empty, ""),
                    (Mutation.Blank, "   "),
                    (Mutation.Oversized, new string('x', OversizedLength)),
                    (Mutation.ControlCharacters, text + "\u0007\u001b\u007f"),
                    (Mutation.Nul, text + "\0"),
                    (Mutation.TrailingNewline, text + "\n"),
                })
                {
                    if (bad != text)
                    {
                        Add(kind, Set(slot, bad));
                    }
                }

                break;
            case FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32:
                foreach (var (kind, bad) in new (Mutation, int)[]
                {
                    (Mutation.Zero, 0), (Mutation.Negative, -1), (Mutation.MinValue, int.MinValue), (Mutation.MaxValue, int.MaxValue),
                })
                {
                    if (bad != (int)value!)
                    {
                        Add(kind, Set(slot, bad));
                    }
                }

                break;
            case FieldType.Enum:
                foreach (var (kind, number) in new (Mutation, int)[]
                {
                    (Mutation.Unspecified, 0), (Mutation.UnknownNumber, 999), (Mutation.NegativeNumber, -1),
                })
                {
                    if (number != Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture))
                    {
                        Add(kind, Set(slot, System.Enum.ToObject(field.EnumType.ClrType, number)));
                    }
                }

                break;
            case FieldType.Bool:
                if (singular && field.HasPresence && clear is not null)
                {
                    Add(Mutation.Missing, Change(clear)); // proto3 optional: unset is a value of its own
                }

                break;
            case FieldType.Message:
                if (singular && clear is not null && value is not null)
                {
                    Add(Mutation.Missing, Change(clear));
                }

                switch (field.MessageType.FullName)
                {
                    case MoneyType when value is Google.Type.Money money:
                        MoneyMutations(slot, money, Add);
                        break;
                    case TimestampType when value is Timestamp:
                        foreach (var (kind, seconds, nanos) in new (Mutation, long, int)[]
                        {
                            (Mutation.FarPast, -62_135_596_800, 0), // 0001-01-01T00:00:00Z, the first valid instant
                            (Mutation.FarFuture, 253_402_300_799, 0), // 9999-12-31T23:59:59Z, the last valid second
                            (Mutation.BeforeYear1, -62_135_596_801, 0),
                            (Mutation.AfterYear9999, 253_402_300_800, 0),
                            (Mutation.SecondsMinValue, long.MinValue, 0),
                            (Mutation.SecondsMaxValue, long.MaxValue, 0),
                            (Mutation.TimeNanosNegative, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, -1),
                            (Mutation.TimeNanosOutOfRange, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, 1_000_000_000),
                        })
                        {
                            Add(kind, Set(slot, new Timestamp { Seconds = seconds, Nanos = nanos }));
                        }

                        break;
                    case DurationType when value is Duration:
                        foreach (var (kind, seconds, nanos) in new (Mutation, long, int)[]
                        {
                            (Mutation.DurationNegative, -3600, 0),
                            (Mutation.DurationZero, 0, 0),
                            (Mutation.DurationTooLong, 91L * 24 * 3600, 0),
                            (Mutation.DurationSecondsOverflow, long.MaxValue, 0),
                            (Mutation.DurationNanosOutOfRange, 3600, 1_000_000_000),
                            (Mutation.DurationMixedSigns, 3600, -1),
                        })
                        {
                            Add(kind, Set(slot, new Duration { Seconds = seconds, Nanos = nanos }));
                        }

                        break;
                    case MoneyType or TimestampType or DurationType:
                        break;
                    default:
                        if (value is not null)
                        {
                            Add(Mutation.EmptyMessage, Set(slot, field.MessageType.Parser.ParseFrom(ByteString.Empty)));
                        }

                        break;
                }

                break;
            default:
                throw new NotSupportedException($"{field.FullName}: the corpus has no mutations for {field.FieldType} yet.");
        }
    }

    private static void MoneyMutations(Slot slot, Google.Type.Money valid, Action<Mutation, Func<IMessage, byte[]>> add)
    {
        void With(Mutation kind, Action<Google.Type.Money> change)
        {
            var money = valid.Clone();
            change(money);
            add(kind, Set(slot, money));
        }

        With(Mutation.WrongCurrency, m => m.CurrencyCode = m.CurrencyCode == "USD" ? "EUR" : "USD");
        With(Mutation.CurrencyEmpty, m => m.CurrencyCode = "");
        With(Mutation.CurrencyLowerCase, m => m.CurrencyCode = m.CurrencyCode.ToLowerInvariant());
        With(Mutation.UnsupportedCurrency, m => m.CurrencyCode = "XXX"); // ISO 4217 "no currency"
        With(Mutation.CurrencyOversized, m => m.CurrencyCode = new string('X', OversizedLength));
        With(Mutation.UnitsNegative, m => m.Units = -1);
        With(Mutation.UnitsMinValue, m => m.Units = long.MinValue);
        With(Mutation.UnitsOverflow, m => m.Units = long.MaxValue);
        With(Mutation.NanosNegative, m => m.Nanos = -1);
        With(Mutation.NanosOutOfRange, m => m.Nanos = 1_000_000_000);
        With(Mutation.HalfMinorUnit, m => m.Nanos = 500_000_000); // half a yen: the corpus's orders are in JPY
        With(Mutation.OneNano, m => m.Nanos = 1);
    }

    /// <summary>Every string of the request, Money's currency codes included.</summary>
    private static IEnumerable<(string Path, Slot Slot)> StringSlots(IMessage sample, Func<IMessage, IMessage> locate, string prefix)
    {
        foreach (var field in sample.Descriptor.Fields.InFieldNumberOrder())
        {
            var path = prefix + field.Name;
            if (field.IsRepeated)
            {
                var elements = (IList)field.Accessor.GetValue(sample);
                if (elements.Count == 0)
                {
                    continue;
                }

                if (field.FieldType == FieldType.String)
                {
                    yield return ($"{path}[0]", new Slot(
                        root => ((IList)field.Accessor.GetValue(locate(root)))[0],
                        (root, value) => ((IList)field.Accessor.GetValue(locate(root)))[0] = value));
                }
                else if (field.FieldType == FieldType.Message)
                {
                    foreach (var inner in StringSlots((IMessage)elements[0]!, root => (IMessage)((IList)field.Accessor.GetValue(locate(root)))[0]!, $"{path}[0]."))
                    {
                        yield return inner;
                    }
                }
            }
            else if (field.FieldType == FieldType.String)
            {
                yield return (path, new Slot(root => field.Accessor.GetValue(locate(root)), (root, value) => field.Accessor.SetValue(locate(root), value!)));
            }
            else if (field.FieldType == FieldType.Message && field.Accessor.GetValue(sample) is IMessage nested)
            {
                foreach (var inner in StringSlots(nested, root => (IMessage)field.Accessor.GetValue(locate(root)), $"{path}."))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>The request with one string's bytes replaced by bytes that are not UTF-8:
    /// what no protobuf library sends, but a buggy or hostile client can.</summary>
    private static byte[] WithInvalidUtf8(IMessage request, Slot slot)
    {
        slot.Set(request, System.Text.Encoding.ASCII.GetString(Marker));
        var bytes = request.ToByteArray();
        var at = bytes.AsSpan().IndexOf(Marker);
        if (at < 0 || bytes.AsSpan(at + 1).IndexOf(Marker) >= 0)
        {
            throw new InvalidOperationException("The marker must occur exactly once in the serialized request.");
        }

        NotUtf8.CopyTo(bytes, at);
        return bytes;
    }
}
