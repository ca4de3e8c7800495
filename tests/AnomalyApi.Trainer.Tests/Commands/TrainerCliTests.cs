using System.Text.Json;
using System.Text.Json.Nodes;
using AnomalyApi.Core.Configuration;
using AnomalyApi.Core.Data;
using AnomalyApi.Core.Scoring;
using AnomalyApi.Trainer.Commands;
using AnomalyApi.Trainer.Training;

namespace AnomalyApi.Trainer.Tests.Commands;

/// <summary>synth, train and evaluate run as a user runs them, on a small simulated machine.</summary>
[Collection(TrainerCliCollection.Name)]
public sealed class TrainerCliTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("trainer-cli-");

    public void Dispose() => _work.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_work.FullName, name);

    private static int Run(params string[] args)
    {
        // Spectre and System.CommandLine write to the console; keep the test output readable.
        var previousOut = Console.Out;
        var previousError = Console.Error;
        var error = new StringWriter();
        try
        {
            Console.SetOut(TextWriter.Null);
            Console.SetError(error);
            var exit = TrainerCli.Create().Parse(args).Invoke();
            LastError = error.ToString();
            return exit;
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
        }
    }

    [ThreadStatic]
    private static string? LastError;

    [Fact]
    public void SynthTrainEvaluate_OnTwoCpuMachine_WritesAServableModelWhoseThresholdMatchesItsScores()
    {
        Assert.Equal(ExitCodes.Success, Run("synth", "--cpus", "2", "--rows", "600", "--seed", "5", "--out", PathOf("normal.csv")));
        Assert.Equal(ExitCodes.Success, Run("train", "--data", PathOf("normal.csv"), "--out", PathOf("model"), "--epochs", "5", "--seed", "3", "--threshold", "p95"));

        var config = ModelConfigReader.Read(PathOf("model/model_config.json"));
        Assert.Equal(22, config.FeatureCount);
        Assert.Equal("cpu_0_idle", config.Features[0]);
        Assert.Equal("node_memory_MemTotal_bytes", config.Features[^1]);
        Assert.DoesNotContain("timestamp", config.Features);

        // The threshold is the p95 of what the served model scores on the training rows.
        using var scorer = AnomalyScorer.Load(PathOf("model/autoencoder.onnx"), PathOf("model/model_config.json"));
        var table = TelemetryTable.Load(PathOf("normal.csv"), config.Features);
        var rmse = scorer.Score(table.Values).Rmse;
        Assert.Equal(ThresholdSelector.Select(rmse, ThresholdMethod.P95).Value, config.Threshold, 12);
        Assert.Equal(30, rmse.Count(r => r > config.Threshold));

        var raw = JsonNode.Parse(File.ReadAllText(PathOf("model/model_config.json")))!;
        Assert.Equal("p95", (string?)raw["threshold_method"]);
        Assert.Equal(600, (int)raw["training"]!["rows"]!);

        using var report = JsonDocument.Parse(File.ReadAllText(PathOf("model/training_report.json")));
        Assert.Equal(5, report.RootElement.GetProperty("epochs_run").GetInt32());
        Assert.Equal(5, report.RootElement.GetProperty("validation_loss").GetArrayLength());
        var png = File.ReadAllBytes(PathOf("model/training_report.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Empty(Directory.GetDirectories(PathOf("model")));

        Assert.Equal(ExitCodes.Success, Run("synth", "--cpus", "2", "--rows", "1000", "--seed", "6", "--anomalies", "--out", PathOf("labeled.csv")));
        Assert.Equal(ExitCodes.Success, Run("evaluate", "--model", PathOf("model"), "--data", PathOf("labeled.csv"), "--json"));
    }

    [Fact]
    public void Train_WithFeaturesOption_UsesThoseColumnsInThatOrder()
    {
        File.WriteAllText(PathOf("small.csv"), "timestamp,a,b,c\n" + string.Join('\n', Enumerable.Range(0, 40).Select(i => $"{i},{i % 7},{i % 5 * 2},{i % 3}")));

        Assert.Equal(ExitCodes.Success, Run("train", "--data", PathOf("small.csv"), "--out", PathOf("m"), "--features", "c,a", "--epochs", "2"));

        Assert.Equal(["c", "a"], ModelConfigReader.Read(PathOf("m/model_config.json")).Features);
    }

    [Fact]
    public void Train_WithRangeMargin_WidensTheConfigsMinMax_AndReportsObservedAndWidened()
    {
        // cpu_0_idle 0.90..0.98, memory_used 1.000e9..1.003e9 (exact in float32).
        File.WriteAllText(PathOf("short.csv"), "timestamp,cpu_0_idle,memory_used_bytes\n" + string.Join('\n', Enumerable.Range(0, 40).Select(i =>
            FormattableString.Invariant($"{i},{0.90 + i % 5 * 0.02},{1_000_000_000 + i % 4 * 1_000_000}"))));

        Assert.Equal(ExitCodes.Success, Run("train", "--data", PathOf("short.csv"), "--out", PathOf("m"), "--epochs", "2", "--range-margin", "1"));

        // By hand: cpu pad 1 × max(0.08, 0.05 × 0.98) = 0.08, so 0.82..1.06 clamped to 1;
        // memory pad 1 × max(3e6, 0.05 × 1.003e9) = 5.015e7.
        var normalization = ModelConfigReader.Read(PathOf("m/model_config.json")).Normalization;
        Assert.Equal(0.82, normalization.Min[0], 6);
        Assert.Equal(1.0, normalization.Max[0], 6);
        Assert.Equal(949_850_000, normalization.Min[1], 1.0);
        Assert.Equal(1_053_150_000, normalization.Max[1], 1.0);

        using var report = JsonDocument.Parse(File.ReadAllText(PathOf("m/training_report.json")));
        var range = report.RootElement.GetProperty("range");
        Assert.Equal(1.0, range.GetProperty("margin").GetDouble());
        Assert.Equal(0.05, range.GetProperty("floor").GetDouble());
        Assert.Equal(0.90, range.GetProperty("observed_min")[0].GetDouble(), 6);
        Assert.Equal(1_003_000_000, range.GetProperty("observed_max")[1].GetDouble());
        Assert.Equal(normalization.Min, range.GetProperty("normalization_min").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(normalization.Max, range.GetProperty("normalization_max").EnumerateArray().Select(e => e.GetDouble()));
    }

    [Fact]
    public void Train_WithoutRangeMargin_NormalisesByTheObservedMinMax()
    {
        File.WriteAllText(PathOf("short.csv"), "a,b\n" + string.Join('\n', Enumerable.Range(0, 20).Select(i => $"{i},{100 + i % 3}")));

        Assert.Equal(ExitCodes.Success, Run("train", "--data", PathOf("short.csv"), "--out", PathOf("m"), "--epochs", "2"));

        var normalization = ModelConfigReader.Read(PathOf("m/model_config.json")).Normalization;
        Assert.Equal([0.0, 100.0], normalization.Min);
        Assert.Equal([19.0, 102.0], normalization.Max);
    }

    [Theory]
    [InlineData("--range-margin", "-1")]
    [InlineData("--range-floor", "-0.01")]
    [InlineData("--range-margin", "NaN")]
    public void Train_WithNegativeRangeOption_IsAUsageErrorNamingTheOption(string option, string value)
    {
        File.WriteAllText(PathOf("ok.csv"), "a,b\n1,2\n");

        Assert.Equal(ExitCodes.UsageError, Run("train", "--data", PathOf("ok.csv"), "--out", PathOf("m"), option, value));
        Assert.Contains($"{option}: {value} is not a finite number >= 0", LastError);
        Assert.False(Directory.Exists(PathOf("m")));
    }

    [Fact]
    public void Train_WithBadCell_ExitsWithDataErrorNamingRowAndColumn()
    {
        File.WriteAllText(PathOf("bad.csv"), "a,b\n1,2\n3,oops\n");

        Assert.Equal(ExitCodes.DataError, Run("train", "--data", PathOf("bad.csv"), "--out", PathOf("m")));
        Assert.Contains("row 2, column 'b': 'oops' is not a number", LastError);
        Assert.False(Directory.Exists(PathOf("m")));
    }

    [Fact]
    public void Train_WithUnknownThresholdMethod_IsAUsageError()
    {
        File.WriteAllText(PathOf("ok.csv"), "a,b\n1,2\n");

        Assert.Equal(ExitCodes.UsageError, Run("train", "--data", PathOf("ok.csv"), "--out", PathOf("m"), "--threshold", "p50"));
    }

    [Fact]
    public void Evaluate_WithMissingModel_ExitsWithModelError()
    {
        File.WriteAllText(PathOf("labeled.csv"), "a,label\n1,0\n");

        Assert.Equal(ExitCodes.ModelError, Run("evaluate", "--model", PathOf("nowhere"), "--data", PathOf("labeled.csv")));
        Assert.Contains("cannot be read", LastError);
    }
}
