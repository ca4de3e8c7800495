using System.Globalization;
using System.Text;
using AnomalyApi.Contracts.Protobuf;
using CsCheck;
using Google.Protobuf;

namespace AnomalyApi.Tests.Fuzz;

/// <summary>One generated request: where it goes, what it claims to be, what it carries.</summary>
public sealed record FuzzRequest(string Route, string? ContentType, string? Accept, byte[] Body)
{
    public override string ToString() =>
        $"POST {Route} ({ContentType ?? "no content type"}{(Accept is null ? "" : ", Accept " + Accept)}) {Body.Length} bytes: " +
        Encoding.UTF8.GetString(Body.AsSpan(0, Math.Min(Body.Length, 600)));
}

/// <summary>
/// Bodies for /predict, /predict/batch and /predict/csv that are almost right: structured JSON with wrong types,
/// NaN spellings, huge numbers, missing, extra and duplicate fields, nesting and wrong lengths; CSV with bad
/// headers, cells and quoting; protobuf batches with wrong widths and non-finite values; and byte-level mutations (flip, insert, delete, duplicate, truncate) of valid bodies.
/// </summary>
public static class FuzzBodies
{
    private static IReadOnlyList<string> Features => TestModel.Features;

    private static readonly string[] Unicode = ["é", "ß", "∞", "𝟘", "\u0000", "\u200B", "\uFEFF", "中文", "\\u0000", "\\ud800", "\"", "\\"];

    /// <summary>A JSON value where a number belongs: usually a good one, often not.</summary>
    public static readonly Gen<string> Value = Gen.Frequency(
        (12, Gen.Double[-1.5, 1.5].Select(fraction => Format(fraction))),
        (2, Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "1e999")),
        (2, Gen.OneOf<string>("1e39", "-3.5e38", "1e-50", "-0", "0.0e0", "1E+308", "123456789012345678901234567890",
            "1" + new string('0', 400), "0.000000000000000000000000000000000000000000001")),
        (2, Gen.OneOf<string>("\"NaN\"", "\"nan\"", "\"Infinity\"", "\"-Infinity\"", "\"+inf\"", "\"∞\"", "\"1.5\"", "\"\"", "\"abc\"")),
        (1, Gen.OneOf<string>("NaN", "Infinity", "-Infinity", "01", "1.", ".5", "+1", "0x10", "1e", "--1", "tru", "nul")),
        (2, Gen.OneOf<string>("null", "true", "false", "{}", "[]", "[1]", "[[1,2]]", "{\"a\":1}")),
        (1, Gen.OneOf(Unicode).Select(u => "\"" + u + "\"")));

    /// <summary>A value that is right: a number within (and a little beyond) the training range.</summary>
    public static readonly Gen<string> GoodValue = Gen.Double[-0.2, 1.2].Select(fraction => Format(fraction));

    /// <summary>
    /// A row as an array: a third wholly right (so the scorer runs too), the rest usually the model's length with
    /// any value possibly wrong, sometimes one off or far off.
    /// </summary>
    public static readonly Gen<string> ArrayRow = Gen.Frequency(
            (3, GoodValue.Array[TestModel.FeatureCount]),
            (4, Value.Array[TestModel.FeatureCount]),
            (2, Gen.OneOf(TestModel.FeatureCount - 1, TestModel.FeatureCount + 1, 0, 1).SelectMany(length => Value.Array[length])),
            (1, Value.Array[0, 3 * TestModel.FeatureCount]))
        .Select(values => "[" + string.Join(",", values) + "]");

    /// <summary>A row as an object: the model's names in any order, with some missing, repeated, misspelt or foreign.</summary>
    public static readonly Gen<string> ObjectRow = Gen.Select(
            Gen.Shuffle(Features.ToArray()),
            Gen.Frequency((3, Gen.Const(0)), (1, Gen.Int[0, 3])),
            Gen.Frequency((3, Gen.Const(0)), (1, Gen.Int[0, 2])),
            Gen.OneOf(Unicode),
            Gen.Frequency((1, GoodValue.Array[TestModel.FeatureCount + 6]), (1, Value.Array[TestModel.FeatureCount + 6])))
        .Select((names, drop, extra, unicode, values) =>
        {
            var keys = names.Skip(drop).ToList();
            for (var i = 0; i < extra; i++)
            {
                keys.Add(i == 0 ? keys.Count > 0 ? keys[0] : "cpu" : names[0] + unicode);
            }
            return "{" + string.Join(",", keys.Select((k, i) => Quote(k) + ":" + values[i % values.Length])) + "}";
        });

    public static readonly Gen<string> Row = Gen.Frequency((3, ArrayRow), (2, ObjectRow), (1, Value));

    private static readonly Gen<string> FeatureNames = Gen.Frequency(
        (3, Gen.Const("[" + string.Join(",", Features.Select(Quote)) + "]")),
        (2, Gen.Shuffle(Features.ToArray()).Select(names => "[" + string.Join(",", names.Select(Quote)) + "]")),
        (1, Value.Array[0, 5].Select(v => "[" + string.Join(",", v) + "]")),
        (1, Gen.OneOf<string>("null", "\"cpu_0_idle\"", "{}", "1")));

    /// <summary>/predict bodies: the fields a request may have, in wrong combinations and types.</summary>
    public static readonly Gen<string> PredictJson = Gen.Frequency(
        (2, Gen.Frequency((1, ArrayRow.Select(row => "{\"features\":" + row + "}")), (1, ObjectRow.Select(row => "{\"values\":" + row + "}")))),
        (4, Gen.Select(Gen.Bool, Gen.Bool, Gen.Bool, Gen.Bool, ArrayRow, ObjectRow, FeatureNames, Row)
            .Select((features, values, names, extra, array, obj, featureNames, anything) =>
            {
                var fields = new List<string>();
                if (features) fields.Add("\"features\":" + array);
                if (values) fields.Add("\"values\":" + obj);
                if (names) fields.Add("\"featureNames\":" + featureNames);
                if (extra) fields.Add("\"Features\":" + anything);
                return "{" + string.Join(",", fields) + "}";
            })),
        (1, Gen.Select(ArrayRow, ArrayRow).Select((a, b) => "{\"features\":" + a + ",\"features\":" + b + "}")),
        (1, Gen.Select(Row, Gen.OneOf("features", "values", "featureNames", "instances", "", "é")).Select((r, name) => "{" + Quote(name) + ":" + r + "}")),
        (1, Gen.OneOf<string>("", "null", "[]", "{}", "1", "\"features\"", "{", "}", "{\"features\":", "[{\"features\":[]}]")),
        (1, Gen.Int[1, 40].Select(depth => "{\"features\":" + new string('[', depth) + "1" + new string(']', depth) + "}")));

    /// <summary>/predict/batch bodies.</summary>
    public static readonly Gen<string> BatchJson = Gen.Frequency(
        (5, Row.Array[0, 6].Select(rows => "{\"instances\":[" + string.Join(",", rows) + "]}")),
        (1, Gen.Select(Row, Gen.Bool).Select((r, dup) => dup ? "{\"instances\":[" + r + "],\"instances\":[]}" : "{\"instances\":" + r + "}")),
        (1, Gen.OneOf<string>("", "null", "{}", "{\"instances\":null}", "{\"instances\":{}}", "{\"instances\":[null]}", "[[1,2,3]]", "{\"rows\":[]}")),
        (1, Gen.Int[1, 40].Select(depth => "{\"instances\":" + new string('[', depth) + new string(']', depth) + "}")));

    /// <summary>A CSV cell where a number belongs.</summary>
    private static readonly Gen<string> Cell = Gen.Frequency(
        (12, Gen.Double[-1.5, 1.5].Select(fraction => Format(fraction))),
        (1, Gen.OneOf<string>("", " ", "NaN", "-Infinity", "inf", "1e39", "abc", "1,5", "\"1.5\"", "\"", "\"a\"b\"", "1e-50", "0x1", "∞", "\u00A01")),
        (1, Gen.OneOf(Unicode)));

    /// <summary>/predict/csv bodies: a header of the model's features (shuffled, some dropped or repeated) and rows.</summary>
    public static readonly Gen<string> Csv = Gen.Select(
            Gen.Shuffle(Features.ToArray()),
            Gen.Frequency((6, Gen.Const(0)), (1, Gen.Int[1, 3])),
            Gen.Bool,
            Gen.Frequency((1, GoodValue.Array[TestModel.FeatureCount + 2]), (1, Cell.Array[TestModel.FeatureCount + 2])).Array[0, 5],
            Gen.OneOf("\n", "\r\n", "\r"),
            Gen.Frequency((8, Gen.Const(0)), (1, Gen.Int[-2, 2])))
        .Select((names, drop, timestamp, rows, newline, cellsOff) =>
        {
            var header = names.Skip(drop).ToList();
            if (drop > 1)
            {
                header.Add(header[0]);  // a duplicate column
            }
            if (timestamp)
            {
                header.Insert(0, "timestamp");
            }
            var csv = new StringBuilder(string.Join(",", header));
            foreach (var row in rows)
            {
                var cells = row.Take(Math.Max(0, header.Count + cellsOff)).ToList();
                csv.Append(newline).Append(string.Join(",", cells));
            }
            return csv.ToString();
        });

    /// <summary>
    /// A protocol buffers BatchRequest: usually the model's width and whole rows of good values, often not
    /// (a wrong or missing feature_count, a ragged or empty tail, NaN and infinities, extremes).
    /// </summary>
    public static readonly Gen<byte[]> BatchProtobuf = Gen.Select(
            Gen.Frequency((6, Gen.Const(TestModel.FeatureCount)), (1, Gen.Int[0, 2 * TestModel.FeatureCount])),
            Gen.Int[0, 5],
            Gen.Frequency((8, Gen.Const(0)), (1, Gen.Int[1, TestModel.FeatureCount - 1])),
            Gen.Frequency((30, Gen.Single[-0.2f, 1.2f]), (1, Gen.OneOf(float.NaN, float.PositiveInfinity, float.NegativeInfinity,
                float.MaxValue, float.MinValue, float.Epsilon, -0f, 1e30f))).Array[TestModel.FeatureCount * 6])
        .Select((featureCount, rows, extra, values) =>
        {
            var request = new BatchRequest { FeatureCount = (uint)featureCount };
            request.Values.AddRange(values.Take(rows * TestModel.FeatureCount + extra));
            return request.ToByteArray();
        });

    /// <summary>Valid bodies to mutate: a row by position, a row by name, a batch of both, a CSV, a protobuf batch.</summary>
    public static IReadOnlyList<(string Route, string ContentType, byte[] Body)> ValidBodies()
    {
        var row = TestModel.RowAt(0.5);
        var array = TestModel.ToJsonArray(row).ToJsonString();
        var named = TestModel.ToJsonObject(row).ToJsonString();
        var protobuf = new BatchRequest { FeatureCount = (uint)TestModel.FeatureCount, Values = { row, TestModel.RowAt(0.4) } };
        return
        [
            ("/predict", "application/json", Encoding.UTF8.GetBytes("{\"features\":" + array + "}")),
            ("/predict", "application/json", Encoding.UTF8.GetBytes("{\"values\":" + named + "}")),
            ("/predict/batch", "application/json", Encoding.UTF8.GetBytes("{\"instances\":[" + array + "," + named + "]}")),
            ("/predict/csv", "text/csv", Encoding.UTF8.GetBytes(TestModel.Csv(row, TestModel.RowAt(0.4)))),
            ("/predict/batch", ProtobufType, protobuf.ToByteArray()),
        ];
    }

    private const string ProtobufType = "application/x-protobuf";

    /// <summary>1 to 6 byte-level edits of a valid body.</summary>
    public static readonly Gen<FuzzRequest> Mutated = Gen.Select(
            Gen.Int[0, ValidBodies().Count - 1],
            Gen.Select(Gen.Int[0, 4], Gen.Double.Unit, Gen.Double.Unit, Gen.Byte).Array[1, 6])
        .Select((which, edits) =>
        {
            var (route, contentType, body) = ValidBodies()[which];
            var bytes = new List<byte>(body);
            foreach (var (kind, at, span, value) in edits)
            {
                var position = (int)(at * bytes.Count);
                switch (kind)
                {
                    case 0 when bytes.Count > 0:  // flip bits
                        position = Math.Min(position, bytes.Count - 1);
                        bytes[position] ^= (byte)(value == 0 ? 1 : value);
                        break;
                    case 1:  // insert a byte
                        bytes.Insert(position, value);
                        break;
                    case 2 when bytes.Count > 0:  // delete a range
                        bytes.RemoveRange(Math.Min(position, bytes.Count - 1), Math.Min(bytes.Count - Math.Min(position, bytes.Count - 1), 1 + (int)(span * 16)));
                        break;
                    case 3:  // duplicate a range
                        var length = Math.Min(bytes.Count - position, 1 + (int)(span * 64));
                        bytes.InsertRange(position, bytes.GetRange(position, length));
                        break;
                    default:  // truncate
                        bytes.RemoveRange(position, bytes.Count - position);
                        break;
                }
            }
            return new FuzzRequest(route, contentType, null, [.. bytes]);
        });

    /// <summary>Content types: usually the route's, sometimes a near miss.</summary>
    private static Gen<string?> ContentType(string right) => Gen.Frequency(
        (20, Gen.Const<string?>(right)),
        (1, Gen.OneOf<string?>(null, "", "text/plain", "application/json; charset=utf-16", right + "; charset=\"", "*/*",
            "application/x-www-form-urlencoded", right.ToUpperInvariant(), right + "; charset=latin1", "text/csv; charset=utf-8",
            "application/problem+json", "application/json-patch+json")));

    public static readonly Gen<FuzzRequest> Generated = Gen.Frequency(
        (4, Gen.Select(PredictJson, ContentType("application/json")).Select((body, type) => Request("/predict", type, null, body))),
        (3, Gen.Select(BatchJson, ContentType("application/json")).Select((body, type) => Request("/predict/batch", type, null, body))),
        (3, Gen.Select(Csv, ContentType("text/csv"), Gen.OneOf<string?>(null, "application/x-ndjson", "application/json"))
            .Select((body, type, accept) => Request("/predict/csv", type, accept, body))),
        (2, Gen.Select(BatchProtobuf, ContentType(ProtobufType)).Select((body, type) => new FuzzRequest("/predict/batch", type, null, body))));

    /// <summary>Everything: generated bodies and mutated valid ones, about half each.</summary>
    public static readonly Gen<FuzzRequest> Any = Gen.Frequency((1, Generated), (1, Mutated));

    private static FuzzRequest Request(string route, string? contentType, string? accept, string body) =>
        new(route, contentType, accept, Encoding.UTF8.GetBytes(body));

    /// <summary>A raw value at <paramref name="fraction"/> of the first feature's range: realistic magnitude, short text.</summary>
    private static string Format(double fraction)
    {
        var min = TestModel.Config.Normalization.Min[0];
        var max = TestModel.Config.Normalization.Max[0];
        return ((float)(min + (max - min) * fraction)).ToString("R", CultureInfo.InvariantCulture);
    }

    private static string Quote(string name) => System.Text.Json.JsonSerializer.Serialize(name);
}
