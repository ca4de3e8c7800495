using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AnomalyApi.Core.Configuration;
using AnomalyApi.Core.Scoring;

namespace AnomalyApi.Tests;

/// <summary>The shipped model (models/ at the repository root) and rows built from its config.</summary>
public static class TestModel
{
    private static readonly Lazy<string> LazyDirectory = new(FindModelsDirectory);
    private static readonly Lazy<AnomalyScorer> LazyScorer = new(() => AnomalyScorer.Load(OnnxPath, ConfigPath));

    public static string Directory => LazyDirectory.Value;

    public static string OnnxPath => Path.Combine(Directory, "autoencoder.onnx");

    public static string ConfigPath => Path.Combine(Directory, "model_config.json");

    /// <summary>A scorer loaded straight from Core, to compare the service's answers with.</summary>
    public static AnomalyScorer Scorer => LazyScorer.Value;

    public static ModelConfig Config => Scorer.Config;

    public static IReadOnlyList<string> Features => Config.Features;

    public static int FeatureCount => Config.FeatureCount;

    /// <summary>A row at <paramref name="fraction"/> of each feature's training range (0.5 = mid-range).</summary>
    public static float[] RowAt(double fraction)
    {
        var row = new float[FeatureCount];
        for (var i = 0; i < row.Length; i++)
        {
            var min = Config.Normalization.Min[i];
            var max = Config.Normalization.Max[i];
            row[i] = (float)(min + (max - min) * fraction);
        }
        return row;
    }

    /// <summary>Deterministic rows spread over (and a little beyond) the training range.</summary>
    public static float[][] Rows(int count, int seed = 7)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var row = new float[FeatureCount];
            for (var i = 0; i < row.Length; i++)
            {
                var min = Config.Normalization.Min[i];
                var max = Config.Normalization.Max[i];
                row[i] = (float)(min + (max - min) * (random.NextDouble() * 1.2 - 0.1));
            }
            return row;
        })];
    }

    /// <summary>
    /// A row the model finds normal: start mid-range and feed the reconstruction back (denormalized) until it
    /// settles near what the autoencoder has learned. Random rows are nearly all anomalies, since real CPU modes sum
    /// to 1 and memory gauges move together.
    /// </summary>
    public static float[] NormalRow() => Scorer.TypicalRow();

    /// <summary>What Core's scorer says about <paramref name="rows"/>.</summary>
    public static ScoredBatch Score(params float[][] rows) => Scorer.Score(rows.SelectMany(r => r).ToArray());

    public static JsonArray ToJsonArray(float[] row) => new([.. row.Select(v => (JsonNode)JsonValue.Create(v))]);

    public static JsonObject ToJsonObject(float[] row)
    {
        var named = new JsonObject();
        for (var i = 0; i < row.Length; i++)
        {
            named[Features[i]] = row[i];
        }
        return named;
    }

    /// <summary>CSV with a timestamp column first and the features in reverse order, to prove order does not matter.</summary>
    public static string Csv(params float[][] rows)
    {
        var order = Enumerable.Range(0, FeatureCount).Reverse().ToArray();
        var csv = new StringBuilder("timestamp,").AppendJoin(',', order.Select(i => Features[i])).Append('\n');
        for (var r = 0; r < rows.Length; r++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"2024-05-01T12:{r / 60:00}:{r % 60:00}Z,")
                .AppendJoin(',', order.Select(i => rows[r][i].ToString("R", CultureInfo.InvariantCulture)))
                .Append('\n');
        }
        return csv.ToString();
    }

    /// <summary>
    /// models/ beside AnomalyApi.sln, found by walking up from the test binaries; with an artifacts path outside the
    /// repository, the copy the web project's build puts beside the binaries.
    /// </summary>
    private static string FindModelsDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AnomalyApi.sln")))
            {
                return Path.Combine(directory.FullName, "models");
            }
        }
        var copied = Path.Combine(AppContext.BaseDirectory, "models");
        return File.Exists(Path.Combine(copied, "model_config.json"))
            ? copied
            : throw new InvalidOperationException($"No AnomalyApi.sln above {AppContext.BaseDirectory}, and no models/ beside it");
    }
}
