using System.Text.Json;
using AnomalyApi.Contracts;
using AnomalyApi.Contracts.Json;

namespace AnomalyApi.Tests.Contracts;

/// <summary>Strict reading of request JSON, and the error keys and messages it produces.</summary>
public sealed class RequestJsonTests
{
    [Theory]
    [InlineData("0.5", 0.5f)]
    [InlineData("-3.4028235e38", float.MinValue)]
    [InlineData("3.4028235e38", float.MaxValue)]
    [InlineData("1e-50", 0f)]
    [InlineData("17179869184", 17179869184f)]
    public void Features_WithFiniteFloat32Numbers_AreRead(string json, float expected)
    {
        var request = JsonSerializer.Deserialize($$"""{"features":[{{json}}]}""", RequestJson.PredictRequest)!;

        Assert.Equal(expected, Assert.Single(request.Features!));
    }

    [Theory]
    [InlineData("3.5e38", "features[0]", "outside the float32 range")]
    [InlineData("\"1\"", "features[0]", "not a string")]
    [InlineData("\"nan\"", "features[0]", "'nan' is not allowed")]
    [InlineData("\"+Infinity\"", "features[0]", "'+Infinity' is not allowed")]
    [InlineData("{}", "features[0]", "not an object")]
    public void Features_WithNonFloat32Values_FailNamingTheIndex(string json, string field, string message)
    {
        var exception = Assert.ThrowsAny<JsonException>(() =>
            JsonSerializer.Deserialize($$"""{"features":[{{json}}]}""", RequestJson.PredictRequest));

        var (key, text) = JsonPaths.Describe(exception);
        Assert.Equal(field, key);
        Assert.Contains(message, text, StringComparison.Ordinal);
    }

    [Fact]
    public void FeatureRow_ReadsBothFormsAndKeepsDuplicatesForTheValidator()
    {
        var request = JsonSerializer.Deserialize("""{"instances":[[1,2],{"a":1,"a":2}]}""", RequestJson.BatchPredictRequest)!;

        Assert.Equal([1f, 2f], request.Instances![0].Ordered!);
        Assert.Equal(["a", "a"], request.Instances[1].Named!.Select(p => p.Key));
    }

    [Theory]
    [InlineData("""{"instances":[[1,2],[3,"x"]]}""", "instances[1][1]")]
    [InlineData("""{"instances":[{"a":1},{"b":"x"}]}""", "instances[1].b")]
    [InlineData("""{"instances":[{"a":1},{"odd name":"x"}]}""", "instances[1]['odd name']")]
    [InlineData("""{"instances":[true]}""", "instances[0]")]
    public void FeatureRow_WithABadValue_FailsNamingRowAndPosition(string json, string field)
    {
        var exception = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, RequestJson.BatchPredictRequest));

        Assert.Equal(field, JsonPaths.Describe(exception).Field);
    }
}
