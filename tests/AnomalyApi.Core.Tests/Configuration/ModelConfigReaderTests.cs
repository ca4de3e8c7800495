using System.Text;
using System.Text.Json.Nodes;
using AnomalyApi.Core;
using AnomalyApi.Core.Configuration;

namespace AnomalyApi.Core.Tests.Configuration;

public class ModelConfigReaderTests
{
    private const string File = "models/test/model_config.json";

    private static JsonObject ValidConfig() => new()
    {
        ["model_name"] = "test-ae",
        ["model_version"] = "1.2",
        ["input_name"] = "x",
        ["output_name"] = "reconstruction",
        ["features"] = new JsonArray("a", "b", "c"),
        ["normalization"] = new JsonObject
        {
            ["type"] = "minmax",
            ["min"] = new JsonArray(0.0, -1.0, 5.0),
            ["max"] = new JsonArray(1.0, 1.0, 5.0),
            ["clip"] = true,
        },
        ["threshold"] = 0.0123,
        ["threshold_method"] = "p99",
        ["training"] = new JsonObject { ["epochs"] = 10 },
    };

    private static ModelConfig Parse(JsonNode json) => ModelConfigReader.Parse(Encoding.UTF8.GetBytes(json.ToJsonString()), File);

    private static ModelLoadException Reject(JsonNode json) => Assert.Throws<ModelLoadException>(() => Parse(json));

    [Fact]
    public void Parse_WithValidConfig_ReadsEveryKeyAndIgnoresUnknownOnes()
    {
        var config = Parse(ValidConfig());

        Assert.Equal("test-ae", config.ModelName);
        Assert.Equal("1.2", config.ModelVersion);
        Assert.Equal("x", config.InputName);
        Assert.Equal("reconstruction", config.OutputName);
        Assert.Equal(["a", "b", "c"], config.Features);
        Assert.Equal([0.0, -1.0, 5.0], config.Normalization.Min);
        Assert.Equal([1.0, 1.0, 5.0], config.Normalization.Max);
        Assert.True(config.Normalization.Clip);
        Assert.Equal(0.0123, config.Threshold);
    }

    [Fact]
    public void Parse_WithoutOptionalKeys_DefaultsVersionToNullAndClipToFalse()
    {
        var json = ValidConfig();
        json.Remove("model_version");
        json["normalization"]!.AsObject().Remove("clip");

        var config = Parse(json);

        Assert.Null(config.ModelVersion);
        Assert.False(config.Normalization.Clip);
    }

    [Theory]
    [InlineData("model_name")]
    [InlineData("input_name")]
    [InlineData("output_name")]
    [InlineData("features")]
    [InlineData("normalization")]
    [InlineData("threshold")]
    public void Parse_WithMissingTopLevelKey_NamesFileAndKey(string key)
    {
        var json = ValidConfig();
        json.Remove(key);

        var error = Reject(json);

        Assert.Equal(key, error.Key);
        Assert.Equal($"{File}: '{key}': is missing", error.Message);
    }

    [Theory]
    [InlineData("type", "normalization.type")]
    [InlineData("min", "normalization.min")]
    [InlineData("max", "normalization.max")]
    public void Parse_WithMissingNormalizationKey_NamesDottedKey(string name, string key)
    {
        var json = ValidConfig();
        json["normalization"]!.AsObject().Remove(name);

        Assert.Equal(key, Reject(json).Key);
    }

    [Theory]
    [InlineData("min")]
    [InlineData("max")]
    public void Parse_WithWrongLengthArray_SaysBothLengths(string name)
    {
        var json = ValidConfig();
        json["normalization"]![name] = new JsonArray(0.0, 1.0);

        var error = Reject(json);

        Assert.Equal($"normalization.{name}", error.Key);
        Assert.Contains("has 2 values, but 'features' has 3", error.Message);
    }

    [Fact]
    public void Parse_WithMinAboveMax_NamesTheIndexAndFeature()
    {
        var json = ValidConfig();
        json["normalization"]!["min"] = new JsonArray(0.0, 2.0, 5.0);

        var error = Reject(json);

        Assert.Equal("normalization.min", error.Key);
        Assert.Contains("min[1] (2) is greater than max[1] (1) for feature 'b'", error.Message);
    }

    [Fact]
    public void Parse_WithOverflowingNumber_RejectsItAsNonFinite()
    {
        var text = ValidConfig().ToJsonString().Replace("0.0123", "1e999", StringComparison.Ordinal);

        var error = Assert.Throws<ModelLoadException>(() => ModelConfigReader.Parse(Encoding.UTF8.GetBytes(text), File));

        Assert.Equal("threshold", error.Key);
        Assert.Contains("not a finite number (1e999)", error.Message);
    }

    [Fact]
    public void Parse_WithNonFiniteMinEntry_NamesTheEntry()
    {
        var text = ValidConfig().ToJsonString().Replace("-1.0", "-1e400", StringComparison.Ordinal).Replace("-1,", "-1e400,", StringComparison.Ordinal);

        var error = Assert.Throws<ModelLoadException>(() => ModelConfigReader.Parse(Encoding.UTF8.GetBytes(text), File));

        Assert.Equal("normalization.min[1]", error.Key);
    }

    [Fact]
    public void Parse_WithPythonNaNLiteral_ReportsInvalidJsonWithPosition()
    {
        var text = ValidConfig().ToJsonString().Replace("0.0123", "NaN", StringComparison.Ordinal);

        var error = Assert.Throws<ModelLoadException>(() => ModelConfigReader.Parse(Encoding.UTF8.GetBytes(text), File));

        Assert.Equal("(json)", error.Key);
        Assert.StartsWith($"{File}: '(json)': is not valid JSON (line 1", error.Message);
    }

    [Fact]
    public void Parse_WithDuplicateFeature_NamesTheDuplicate()
    {
        var json = ValidConfig();
        json["features"] = new JsonArray("a", "b", "a");

        var error = Reject(json);

        Assert.Equal("features", error.Key);
        Assert.Contains("names 'a' more than once", error.Message);
    }

    [Fact]
    public void Parse_WithStringWhereNumberBelongs_SaysWhatItFound()
    {
        var json = ValidConfig();
        json["threshold"] = "0.5";

        var error = Reject(json);

        Assert.Equal("threshold", error.Key);
        Assert.Contains("must be a number, not a string", error.Message);
    }

    [Fact]
    public void Parse_WithUnknownNormalizationType_ListsTheSupportedOne()
    {
        var json = ValidConfig();
        json["normalization"]!["type"] = "zscore";

        var error = Reject(json);

        Assert.Equal("normalization.type", error.Key);
        Assert.Contains("only 'minmax' is supported", error.Message);
    }

    [Fact]
    public void Parse_WithNegativeThreshold_Rejects()
    {
        var json = ValidConfig();
        json["threshold"] = -0.1;

        Assert.Equal("threshold", Reject(json).Key);
    }

    [Fact]
    public void Parse_WithEmptyFeatureName_NamesTheItem()
    {
        var json = ValidConfig();
        json["features"] = new JsonArray("a", "", "c");

        var error = Reject(json);

        Assert.Contains("item 1 must be a non-empty string", error.Message);
    }

    [Fact]
    public void Read_WithMissingFile_NamesThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}", "model_config.json");

        var error = Assert.Throws<ModelLoadException>(() => ModelConfigReader.Read(path));

        Assert.StartsWith($"{path}: '(file)': cannot be read", error.Message);
    }

    [Fact]
    public void Writer_RoundTripsThroughReader_WithExtraKeysKept()
    {
        var original = Parse(ValidConfig()) with { Threshold = 0.1 + 0.2 };
        using var stream = new MemoryStream();

        ModelConfigWriter.Write(stream, original, new JsonObject { ["threshold_method"] = "auto" });
        var reread = ModelConfigReader.Parse(stream.ToArray(), File);
        var raw = JsonNode.Parse(stream.ToArray())!;

        Assert.Equal(original.Threshold, reread.Threshold);
        Assert.Equal(original.Features, reread.Features);
        Assert.Equal(original.Normalization.Min, reread.Normalization.Min);
        Assert.Equal(original.Normalization.Max, reread.Normalization.Max);
        Assert.Equal("auto", (string?)raw["threshold_method"]);
    }
}
