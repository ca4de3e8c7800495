using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AnomalyApi.Core.Configuration;
using AnomalyApi.Trainer.Training;

namespace AnomalyApi.Trainer.Building;

/// <summary>The training report written beside the model (training_report.json) and summarised in its config.</summary>
public sealed record TrainingReport
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The data file's name (not its path: reports travel).</summary>
    public required string DataFile { get; init; }

    /// <summary>Rows in the data file.</summary>
    public required int Rows { get; init; }

    /// <summary>Features per row.</summary>
    public required int Features { get; init; }

    /// <summary>Layer widths, input to output.</summary>
    public required IReadOnlyList<int> Architecture { get; init; }

    /// <summary>The settings training ran with.</summary>
    public required TrainingOptions Options { get; init; }

    /// <summary>The restart whose weights were kept, counted from 1.</summary>
    public required int Restart { get; init; }

    /// <summary>Each restart's lowest validation loss.</summary>
    public required IReadOnlyList<float> RestartValidationLoss { get; init; }

    /// <summary>Epochs run before stopping (by the kept restart).</summary>
    public required int EpochsRun { get; init; }

    /// <summary>The epoch whose weights were kept.</summary>
    public required int BestEpoch { get; init; }

    /// <summary>Whether early stopping ended training.</summary>
    public required bool StoppedEarly { get; init; }

    /// <summary>Mean squared error on the training split per epoch.</summary>
    public required IReadOnlyList<float> TrainLoss { get; init; }

    /// <summary>Mean squared error on the validation split per epoch.</summary>
    public required IReadOnlyList<float> ValidationLoss { get; init; }

    /// <summary>The threshold and how it was chosen.</summary>
    public required ThresholdChoice Threshold { get; init; }

    /// <summary>The min/max seen in the data and how far they were widened into the config's normalisation.</summary>
    public required RangeReport Range { get; init; }

    /// <summary>Summary of the training rows' served RMSE.</summary>
    public required RmseSummary TrainingRmse { get; init; }

    /// <summary>Wall-clock seconds the build took.</summary>
    public required double Seconds { get; init; }

    /// <summary>Assembles the report.</summary>
    public static TrainingReport Create(BuildRequest request, int rows, TrainingResult training, ThresholdChoice threshold, double[] rmse, TimeSpan elapsed,
        MinMaxNormalization observed, MinMaxNormalization normalization) => new()
    {
        DataFile = Path.GetFileName(request.DataPath),
        Rows = rows,
        Features = training.Layers[0].Inputs,
        Architecture = [training.Layers[0].Inputs, .. training.Layers.Select(l => l.Outputs)],
        Options = request.Training,
        Restart = training.Restart,
        RestartValidationLoss = training.RestartValidationLosses,
        EpochsRun = training.EpochsRun,
        BestEpoch = training.BestEpoch,
        StoppedEarly = training.StoppedEarly,
        TrainLoss = training.TrainLosses,
        ValidationLoss = training.ValidationLosses,
        Threshold = threshold,
        Range = new RangeReport(request.RangeMargin, request.RangeFloor, observed.Min, observed.Max, normalization.Min, normalization.Max),
        TrainingRmse = RmseSummary.Of(rmse),
        Seconds = Math.Round(elapsed.TotalSeconds, 1),
    };

    /// <summary>The keys the config carries beside its schema: how the threshold was set and how training went.</summary>
    public static JsonObject ConfigExtras(TrainingReport report) => new()
    {
        ["threshold_method"] = ThresholdSelector.MethodName(report.Threshold.Method),
        ["threshold_rule_applied"] = ThresholdSelector.MethodName(report.Threshold.Applied),
        ["training"] = new JsonObject
        {
            ["data_file"] = report.DataFile,
            ["rows"] = report.Rows,
            ["seed"] = report.Options.Seed,
            ["restart_kept"] = report.Restart,
            ["epochs_run"] = report.EpochsRun,
            ["best_epoch"] = report.BestEpoch,
            ["best_validation_loss"] = report.ValidationLoss[report.BestEpoch - 1],
            ["architecture"] = new JsonArray([.. report.Architecture.Select(w => (JsonNode)w)]),
        },
    };

    /// <summary>Writes the report as indented snake_case JSON.</summary>
    public static void WriteJson(string path, TrainingReport report) =>
        File.WriteAllText(path, JsonSerializer.Serialize(report, JsonOptions));
}

/// <summary>
/// The <c>--range-margin</c> and <c>--range-floor</c> a model was trained with, the per-feature min/max observed in
/// its data and the min/max its config normalises by (equal to the observed ones when the margin is 0).
/// </summary>
public sealed record RangeReport(
    double Margin,
    double Floor,
    IReadOnlyList<double> ObservedMin,
    IReadOnlyList<double> ObservedMax,
    IReadOnlyList<double> NormalizationMin,
    IReadOnlyList<double> NormalizationMax);

/// <summary>Distribution of the training rows' RMSE.</summary>
public sealed record RmseSummary(double Min, double Mean, double StandardDeviation, double P50, double P95, double P99, double Max)
{
    /// <summary>Summarises <paramref name="rmse"/>.</summary>
    public static RmseSummary Of(double[] rmse) => new(
        rmse.Min(),
        SampleStatistics.Mean(rmse),
        SampleStatistics.StandardDeviation(rmse),
        SampleStatistics.Percentile(rmse, 50),
        SampleStatistics.Percentile(rmse, 95),
        SampleStatistics.Percentile(rmse, 99),
        rmse.Max());
}
