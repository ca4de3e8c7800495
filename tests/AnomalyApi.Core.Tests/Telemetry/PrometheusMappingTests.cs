using AnomalyApi.Core.Configuration;
using AnomalyApi.Core.Telemetry;

namespace AnomalyApi.Core.Tests.Telemetry;

public sealed class PrometheusMappingTests
{
    private const string File = "/etc/anomaly/mapping.json";

    [Fact]
    public void Parse_WithCommentsAndATrailingComma_KeepsEveryExpressionTrimmed()
    {
        var mapping = PrometheusMapping.Parse("""
            {
              // hand-edited files have comments
              "cpu_0_user": "  rate(node_cpu_seconds_total{cpu=\"0\",mode=\"user\"}[1m]) ",
              "memory_used_bytes": "node_memory_MemTotal_bytes - node_memory_MemAvailable_bytes",
            }
            """, File);

        Assert.Equal(File, mapping.Path);
        Assert.Equal(2, mapping.Expressions.Count);
        Assert.Equal("rate(node_cpu_seconds_total{cpu=\"0\",mode=\"user\"}[1m])", mapping.Expressions["cpu_0_user"]);
        Assert.Equal("node_memory_MemTotal_bytes - node_memory_MemAvailable_bytes", mapping.Expressions["memory_used_bytes"]);
    }

    [Theory]
    [InlineData("[]", "must be a JSON object from feature name to PromQL expression, not an array")]
    [InlineData("\"up\"", "must be a JSON object from feature name to PromQL expression, not a string")]
    [InlineData("{}", "maps no features")]
    [InlineData("{\"cpu_0_user\": \"\"}", "\"cpu_0_user\" has an empty expression")]
    [InlineData("{\"cpu_0_user\": \" \\t \"}", "\"cpu_0_user\" has an empty expression")]
    [InlineData("{\"cpu_0_user\": null}", "\"cpu_0_user\" must be a PromQL expression in a string, not null")]
    [InlineData("{\"cpu_0_user\": {\"query\": \"up\"}}", "\"cpu_0_user\" must be a PromQL expression in a string, not an object")]
    [InlineData("{\"up\": \"up\", \"up\": \"up == 1\"}", "\"up\" appears more than once")]
    [InlineData("{\"\": \"up\"}", "a key is empty: each key must be a feature name")]
    public void Parse_WithSomethingThatIsNotAMapping_ThrowsOneLineNamingTheFileAndTheKey(string json, string problem)
    {
        var ex = Assert.Throws<PrometheusMappingException>(() => PrometheusMapping.Parse(json, File));

        Assert.Equal($"Prometheus mapping file {File}: {problem}", ex.Message);
        Assert.Equal(File, ex.Path);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Parse_WithBrokenJson_NamesTheFileAndTheLine()
    {
        var ex = Assert.Throws<PrometheusMappingException>(() => PrometheusMapping.Parse("{\n  \"cpu_0_user\": rate(x)\n}", File));

        Assert.StartsWith($"Prometheus mapping file {File}: is not valid JSON (line 2, ", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Load_WithNoSuchFile_SaysSoNamingIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-mapping-{Guid.NewGuid():N}.json");

        var ex = Assert.Throws<PrometheusMappingException>(() => PrometheusMapping.Load(path));

        Assert.Equal($"Prometheus mapping file {path}: the file does not exist", ex.Message);
    }

    [Fact]
    public void MissingFor_ListsTheModelsFeaturesWithoutExpressionInTheirOrder_AndIgnoresExtraKeys()
    {
        var mapping = PrometheusMapping.Parse("""{"b": "up", "extra_for_another_model": "up"}""", File);

        Assert.Equal(["a", "c"], mapping.MissingFor(["a", "b", "c"]));
        Assert.Equal("has no expression for a, c, which the model needs", PrometheusMapping.DescribeMissing(["a", "c"]));
        Assert.Equal("has no expression for f1, f2, f3, f4, f5 (and 2 more), which the model needs",
            PrometheusMapping.DescribeMissing(["f1", "f2", "f3", "f4", "f5", "f6", "f7"]));
    }

    [Fact]
    public void ShippedMapping_HasAnExpressionForEveryFeatureOfTheShippedModel_CpuModesAsRatesOfTheirOwnCounter()
    {
        var mapping = PrometheusMapping.Load(Path.Combine(ShippedModel.Directory, "prometheus-mapping.json"));
        var config = ModelConfigReader.Read(ShippedModel.ConfigPath);

        Assert.Empty(mapping.MissingFor(config.Features));
        foreach (var feature in config.Features.Where(f => f.StartsWith("cpu_", StringComparison.Ordinal)))
        {
            var parts = feature.Split('_', 3);
            Assert.Equal($"rate(node_cpu_seconds_total{{cpu=\"{parts[1]}\",mode=\"{parts[2]}\"}}[1m])", mapping.Expressions[feature]);
        }
        Assert.Equal("node_memory_MemTotal_bytes - node_memory_MemAvailable_bytes", mapping.Expressions["memory_used_bytes"]);
    }
}
