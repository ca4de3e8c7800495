using System.Globalization;
using System.Text;
using System.Text.Json;
using AnomalyApi.Contracts;
using AnomalyApi.Contracts.Json;

namespace AnomalyApi.Tests.Contracts;

/// <summary>
/// The one-pass /predict reader: it reads the values the strict reading reads, and gives up (null) on every body in
/// another form or with anything for the strict reading or the validator to say, so those keep their answers.
/// </summary>
public sealed class PredictRowReaderTests
{
    private const int MaxDepth = 16;

    private static string Row(float[] row) => string.Join(",", row.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    [Fact]
    public void FeaturesInTheModelsOrder_ReadTheStrictReadingsValues()
    {
        foreach (var row in TestModel.Rows(20, seed: 5))
        {
            var body = $$"""{ "features" : [ {{Row(row).Replace(",", ", ", StringComparison.Ordinal)}} ] }""";

            var fast = PredictRowReader.TryRead(Encoding.UTF8.GetBytes(body), TestModel.FeatureCount, MaxDepth);

            Assert.NotNull(fast);
            Assert.Equal(JsonSerializer.Deserialize(body, RequestJson.PredictRequest)!.Features, fast);
        }
    }

    [Fact]
    public void AnEscapedPropertyName_IsMatchedAsItsText()
    {
        var row = TestModel.RowAt(0.25);
        var body = $$"""{"\u0066eatures":[{{Row(row)}}]}""";

        Assert.Equal(row, PredictRowReader.TryRead(Encoding.UTF8.GetBytes(body), TestModel.FeatureCount, MaxDepth));
    }

    public static TheoryData<string> BodiesForTheStrictReading()
    {
        var row = Row(TestModel.RowAt(0.5));
        var names = string.Join(",", TestModel.Features.Select(name => $"\"{name}\""));
        var values = string.Join(",", TestModel.Features.Select(name => $"\"{name}\":0.5"));
        return
        [
            "",
            "null",
            "[]",
            "{}",
            """{"features":[]}""",
            """{"features":null}""",
            $$"""{"Features":[{{row}}]}""",
            "{\"values\":{" + values + "}}",
            $$"""{"features":[{{row}}],"featureNames":[{{names}}]}""",
            $$"""{"featureNames":[{{names}}],"features":[{{row}}]}""",
            $$"""{"features":[{{row}}],"extra":1}""",
            $$"""{"features":[{{row}}],"features":[{{row}}]}""",
            $$"""{"features":[{{row}}]} x""",
            $$"""{"features":[{{row}},]}""",
            $$"""{"features":[{{row}}] /* c */}""",
            .. RowArrayCases.Refused(row).Select(values => $$"""{"features":[{{values}}]}"""),
            $$"""{"features":[{{row}}]""",
            $$"""{"features":[{{row}}""",
        ];
    }

    [Theory]
    [MemberData(nameof(BodiesForTheStrictReading))]
    public void BodiesWithAnythingToSay_AreLeftToTheStrictReading(string body)
    {
        Assert.Null(PredictRowReader.TryRead(Encoding.UTF8.GetBytes(body), TestModel.FeatureCount, MaxDepth));
    }

    [Fact]
    public void ADepthLimitBelowTheBodys_IsLeftToTheStrictReading()
    {
        var body = Encoding.UTF8.GetBytes($$"""{"features":[{{Row(TestModel.RowAt(0.5))}}]}""");

        Assert.Null(PredictRowReader.TryRead(body, TestModel.FeatureCount, maxDepth: 1));
        Assert.NotNull(PredictRowReader.TryRead(body, TestModel.FeatureCount, maxDepth: 2));
    }
}
