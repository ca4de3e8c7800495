using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AnomalyApi.Contracts;
using AnomalyApi.Contracts.Json;

namespace AnomalyApi.Tests.Contracts;

/// <summary>
/// The one-pass /predict/batch reader: it reads the values the strict reading reads, and gives up (null) on every
/// body the strict reading or the validator would have something to say about, so those keep their answers.
/// </summary>
public sealed class BatchRowsReaderTests
{
    private const int MaxRows = 4096;
    private const int MaxDepth = 16;

    [Fact]
    public void ValidRows_InBothFormsAndAnyNameOrder_ReadTheStrictReadingsValues()
    {
        var rows = TestModel.Rows(6, seed: 9);
        var shuffled = new JsonObject();
        foreach (var i in Enumerable.Range(0, TestModel.FeatureCount).Reverse())
        {
            shuffled[TestModel.Features[i]] = rows[2][i];
        }
        var body = new JsonObject
        {
            ["instances"] = new JsonArray(
                TestModel.ToJsonArray(rows[0]), TestModel.ToJsonObject(rows[1]), shuffled,
                TestModel.ToJsonArray(rows[3]), TestModel.ToJsonObject(rows[4]), TestModel.ToJsonArray(rows[5])),
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

        using var matrix = BatchRowsReader.TryRead(Encoding.UTF8.GetBytes(body), TestModel.Features, MaxRows, MaxDepth);

        Assert.NotNull(matrix);
        Assert.Equal(6, matrix.Rows);
        Assert.Equal(StrictValues(body), matrix.Values.ToArray());
    }

    [Fact]
    public void EscapedNames_AreMatchedAsTheirText()
    {
        var row = TestModel.RowAt(0.25);
        var named = string.Join(",", TestModel.Features.Select((name, i) =>
            $"\"{(i == 0 ? "\\u00" + ((int)name[0]).ToString("x2", System.Globalization.CultureInfo.InvariantCulture) + name[1..] : name)}\":{row[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture)}"));
        var body = $$"""{"\u0069nstances":[{{{named}}}]}""";

        using var matrix = BatchRowsReader.TryRead(Encoding.UTF8.GetBytes(body), TestModel.Features, MaxRows, MaxDepth);

        Assert.NotNull(matrix);
        Assert.Equal(row, matrix.Values.ToArray());
    }

    public static TheoryData<string> BodiesForTheStrictReading()
    {
        var row = string.Join(",", TestModel.RowAt(0.5).Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        var named = TestModel.ToJsonObject(TestModel.RowAt(0.5));
        var missing = named.DeepClone().AsObject();
        missing.Remove(TestModel.Features[3]);
        var unknown = named.DeepClone().AsObject();
        unknown["not_a_feature"] = 1;
        var duplicate = named.ToJsonString().TrimEnd('}') + $",\"{TestModel.Features[0]}\":1}}";
        return
        [
            "",
            "null",
            "[]",
            "{}",
            """{"instances":[]}""",
            """{"instances":null}""",
            $$"""{"Instances":[[{{row}}]]}""",
            $$"""{"instances":[[{{row}}]],"extra":1}""",
            $$"""{"instances":[[{{row}}]],"instances":[[{{row}}]]}""",
            $$"""{"instances":[[{{row}}]]} x""",
            $$"""{"instances":[[{{row}}],]}""",
            $$"""{"instances":[[{{row}}]] /* c */}""",
            .. RowArrayCases.Refused(row).Select(values => $$"""{"instances":[[{{values}}]]}"""),
            $$"""{"instances":[{{missing.ToJsonString()}}]}""",
            $$"""{"instances":[{{unknown.ToJsonString()}}]}""",
            $$"""{"instances":[{{duplicate}}]}""",
            $$"""{"instances":[true]}""",
            $$"""{"instances":[[{{row}}]""",
        ];
    }

    [Theory]
    [MemberData(nameof(BodiesForTheStrictReading))]
    public void BodiesWithAnythingToSay_AreLeftToTheStrictReading(string body)
    {
        Assert.Null(BatchRowsReader.TryRead(Encoding.UTF8.GetBytes(body), TestModel.Features, MaxRows, MaxDepth));
    }

    [Fact]
    public void MoreRowsThanTheLimit_OrADepthLimitBelowABatchs_AreLeftToTheStrictReading()
    {
        var row = TestModel.ToJsonArray(TestModel.RowAt(0.5)).ToJsonString();
        var body = Encoding.UTF8.GetBytes($$"""{"instances":[{{string.Join(",", Enumerable.Repeat(row, 5))}}]}""");

        Assert.Null(BatchRowsReader.TryRead(body, TestModel.Features, maxRows: 4, MaxDepth));
        Assert.Null(BatchRowsReader.TryRead(body, TestModel.Features, MaxRows, maxDepth: 2));
        using var atLimit = BatchRowsReader.TryRead(body, TestModel.Features, maxRows: 5, maxDepth: 3);
        Assert.Equal(5, atLimit?.Rows);
    }

    // What the strict reading makes of the body, in the model's order.
    private static float[] StrictValues(string body)
    {
        var request = JsonSerializer.Deserialize(body, RequestJson.BatchPredictRequest)!;
        return [.. request.Instances!.SelectMany(row => row.Ordered
            ?? [.. TestModel.Features.Select(feature => row.Named!.Single(pair => pair.Key == feature).Value)])];
    }
}

/// <summary>The fast float parser against the framework's, bit for bit.</summary>
public sealed class FastSingleTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("0.0")]
    [InlineData("-0.0e5")]
    [InlineData("1")]
    [InlineData("-1.5")]
    [InlineData("3.4028235e38")]
    [InlineData("3.4028236e38")]
    [InlineData("1.17549435e-38")]
    [InlineData("1e-45")]
    [InlineData("1e-50")]
    [InlineData("16777217")]
    [InlineData("9007199254740993")]
    [InlineData("12345678901234567890")]
    [InlineData("0.30000000000000004")]
    [InlineData("1E+2")]
    [InlineData("1e22")]
    [InlineData("1e23")]
    [InlineData("123.456e-20")]
    [InlineData("0.000000000000000000000000001")]
    public void Parse_MatchesTheFramework(string number) => AssertSame(number);

    [Fact]
    public void Parse_OfRandomFloatsAndDecimals_MatchesTheFramework()
    {
        var random = new Random(17);
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        for (var i = 0; i < 200_000; i++)
        {
            var text = (i % 4) switch
            {
                0 => BitConverter.Int32BitsToSingle(random.Next()).ToString("R", culture),
                1 => ((float)(random.NextDouble() * Math.Pow(10, random.Next(-12, 12)))).ToString("R", culture),
                2 => (random.NextDouble() * Math.Pow(10, random.Next(-8, 9))).ToString("R", culture),
                _ => $"{random.Next(0, 100_000)}.{random.NextInt64(0, 10_000_000_000)}e{random.Next(-25, 25)}",
            };
            // Only JSON numbers: not NaN or Infinity.
            if (char.IsAsciiDigit(text[^1]))
            {
                AssertSame(text.Replace("E", "e", StringComparison.Ordinal));
            }
        }
    }

    // Float midpoints reached exactly by the double: 1 + 2^-24 (halfway between 1 and its next float), and its neighbours.
    [Theory]
    [InlineData("1.000000059604644775390625")]
    [InlineData("1.0000000596046448")]
    [InlineData("1.0000000596046447")]
    public void Parse_AtAndBesideAFloatMidpoint_MatchesTheFramework(string number) => AssertSame(number);

    private static void AssertSame(string number)
    {
        var bytes = Encoding.UTF8.GetBytes(number);
        var reader = new Utf8JsonReader(bytes);
        reader.Read();
        var expectedOk = reader.TryGetSingle(out var expected);
        var fastOk = FastSingle.TryGetSingle(ref reader, out var fast);
        Assert.Equal(expectedOk, fastOk);
        Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(fast),
            $"{number}: framework {expected:R}, fast {fast:R}");
    }
}
