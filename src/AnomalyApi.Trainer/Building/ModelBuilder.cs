using System.Diagnostics;
using System.Text.Json.Nodes;
using AnomalyApi.Core.Configuration;
using AnomalyApi.Core.Data;
using AnomalyApi.Core.Normalization;
using AnomalyApi.Core.Scoring;
using AnomalyApi.Trainer.Onnx;
using AnomalyApi.Trainer.Training;

namespace AnomalyApi.Trainer.Building;

/// <summary>
/// The <c>train</c> pipeline: read normal telemetry, fit min/max (widened as asked), train the autoencoder, export ONNX, pick
/// the threshold and write the config and report. The training RMSEs the threshold is chosen from are
/// computed by the Core scorer running the exported ONNX file, the very code the service runs, so the
/// threshold and the served scores cannot drift apart.
/// </summary>
public static class ModelBuilder
{
    /// <summary>Builds a model directory from <paramref name="request"/>.</summary>
    /// <exception cref="TelemetryCsvException">The data file is malformed.</exception>
    public static BuildOutcome Build(BuildRequest request, IProgress<EpochProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var method = ThresholdSelector.ParseMethod(request.ThresholdMethod);
        var features = request.Features ?? DefaultFeatures(request.DataPath);
        var table = TelemetryTable.Load(request.DataPath, features);
        if (table.Rows < 10)
        {
            throw new TelemetryCsvException(null, null, $"{request.DataPath} has {table.Rows} data rows; at least 10 are needed to train");
        }

        var observed = FitMinMax(table, request.Clip);
        var normalization = RangeWidening.Widen(observed, features, request.RangeMargin, request.RangeFloor);
        var normalized = new float[table.Values.Length];
        new MinMaxNormalizer(normalization).Normalize(table.Values, normalized);
        var training = AutoencoderTrainer.Train(normalized, features.Count, request.Training, progress, cancellationToken);

        // Stage in a sibling folder and move into place at the end, so a service watching the output
        // directory never sees an ONNX file without its matching config.
        Directory.CreateDirectory(request.OutputDirectory);
        var staging = Directory.CreateDirectory(Path.Combine(request.OutputDirectory, $".staging-{Guid.NewGuid():N}"));
        try
        {
            var onnxPath = Path.Combine(staging.FullName, ModelFiles.Onnx);
            var configPath = Path.Combine(staging.FullName, ModelFiles.Config);
            OnnxModelWriter.Write(onnxPath, training.Layers, new OnnxExportOptions
            {
                ModelName = request.ModelName,
                DocString = $"Autoencoder of normal telemetry trained on {Path.GetFileName(request.DataPath)} by anomaly-trainer.",
                Metadata = new Dictionary<string, string> { ["features"] = string.Join(',', features) },
            });

            var config = new ModelConfig(
                request.ModelName, request.ModelVersion, "x", "reconstruction", features, normalization, Threshold: 0);
            ModelConfigWriter.Write(configPath, config);
            var rmse = ScoreWithServingPath(onnxPath, configPath, table);
            var threshold = ThresholdSelector.Select(rmse, method);
            config = config with { Threshold = threshold.Value };

            var report = TrainingReport.Create(request, table.Rows, training, threshold, rmse, stopwatch.Elapsed, observed, normalization);
            ModelConfigWriter.Write(configPath, config, TrainingReport.ConfigExtras(report));
            TrainingReport.WriteJson(Path.Combine(staging.FullName, ModelFiles.ReportJson), report);
            TrainingReportPlot.WritePng(Path.Combine(staging.FullName, ModelFiles.ReportPng), training.TrainLosses, training.ValidationLosses, rmse, threshold.Value);

            foreach (var file in new[] { ModelFiles.ReportJson, ModelFiles.ReportPng, ModelFiles.Onnx, ModelFiles.Config })
            {
                File.Move(Path.Combine(staging.FullName, file), Path.Combine(request.OutputDirectory, file), overwrite: true);
            }
            return new BuildOutcome(config, training, threshold, rmse, Path.GetFullPath(request.OutputDirectory));
        }
        finally
        {
            staging.Delete(recursive: true);
        }
    }

    /// <summary>Every header column except the non-feature ones (timestamp, label, …), in file order.</summary>
    public static IReadOnlyList<string> DefaultFeatures(string dataPath) =>
        [.. TelemetryTable.ReadHeader(dataPath).Where(c => !BuildRequest.NonFeatureColumns.Contains(c))];

    /// <summary>Per-feature min and max of the (float32) training values.</summary>
    public static MinMaxNormalization FitMinMax(TelemetryTable table, bool clip)
    {
        var count = table.Features.Count;
        var min = Enumerable.Repeat(double.PositiveInfinity, count).ToArray();
        var max = Enumerable.Repeat(double.NegativeInfinity, count).ToArray();
        for (var row = 0; row < table.Rows; row++)
        {
            var values = table.Row(row);
            for (var i = 0; i < count; i++)
            {
                min[i] = Math.Min(min[i], values[i]);
                max[i] = Math.Max(max[i], values[i]);
            }
        }
        return new MinMaxNormalization(min, max, clip);
    }

    private static double[] ScoreWithServingPath(string onnxPath, string configPath, TelemetryTable table)
    {
        // One call on one thread: one ONNX session is enough (the service holds one per core).
        using var scorer = AnomalyScorer.Load(onnxPath, configPath, new ScorerOptions { Sessions = 1 });
        return scorer.Score(table.Values).Rmse;
    }
}

/// <summary>What <see cref="ModelBuilder.Build"/> produced.</summary>
/// <param name="Config">The config written (with its threshold).</param>
/// <param name="Training">Loss history and weights.</param>
/// <param name="Threshold">How the threshold was chosen.</param>
/// <param name="TrainingRmse">The served RMSE of every training row.</param>
/// <param name="OutputDirectory">The model directory, absolute.</param>
public sealed record BuildOutcome(ModelConfig Config, TrainingResult Training, ThresholdChoice Threshold, double[] TrainingRmse, string OutputDirectory);
