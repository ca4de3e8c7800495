using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AnomalyApi.Deployment.Tests.Infrastructure;

/// <summary>Feature rows for the shipped model (models/model_config.json), in raw units.</summary>
internal static class Telemetry
{
    private static readonly Lazy<(double[] Min, double[] Max)> Range = new(() =>
    {
        using var config = JsonDocument.Parse(Repository.ReadText("models", "model_config.json"));
        var normalization = config.RootElement.GetProperty("normalization");
        return (
            [.. normalization.GetProperty("min").EnumerateArray().Select(v => v.GetDouble())],
            [.. normalization.GetProperty("max").EnumerateArray().Select(v => v.GetDouble())]);
    });

    public static int FeatureCount => Range.Value.Min.Length;

    /// <summary>Every feature at <paramref name="fraction"/> of its training range (0 = min, 1 = max; outside is out of range).</summary>
    public static double[] RowAt(double fraction) =>
        [.. Range.Value.Min.Zip(Range.Value.Max, (min, max) => min + (fraction * (max - min)))];

    public static JsonObject PredictBody(double[] row) => new() { ["features"] = ToJson(row) };

    public static JsonObject BatchBody(IEnumerable<double[]> rows) => new() { ["instances"] = new JsonArray([.. rows.Select(ToJson)]) };

    /// <summary>POSTs one row to /predict (relative to the client's base) and returns the rmse the service answered.</summary>
    public static async Task<double> PredictRmseAsync(HttpClient client, string path, double[] row)
    {
        using var response = await client.PostAsJsonAsync(path, PredictBody(row));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} answered {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("rmse").GetDouble();
    }

    private static JsonArray ToJson(double[] row) => new([.. row.Select(v => JsonValue.Create(v))]);

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
