using System.Diagnostics;
using AnomalyApi.Trainer.Training;
using Xunit.Abstractions;

namespace AnomalyApi.Trainer.Tests.Training;

public class AutoencoderTrainerTests(ITestOutputHelper output)
{
    private const int Features = 38;

    [Fact]
    public void Train_OnLowRankData_ReducesValidationLossSubstantially()
    {
        // Rank 3 fits through the 3-unit bottleneck. The seed matters: with ReLU on the bottleneck, some seeds
        // lose all three units to dead ReLUs and settle on the column means (loss ≈ column variance); this one does not.
        var data = SyntheticSamples.LowRankRows(rows: 1000, Features, rank: 3, seed: 17);
        var options = new TrainingOptions { Epochs = 100, Seed = 1 };

        var stopwatch = Stopwatch.StartNew();
        var result = AutoencoderTrainer.Train(data, Features, options);
        output.WriteLine($"{result.EpochsRun} epochs of 800 rows in {stopwatch.Elapsed.TotalSeconds:F2} s; " +
            $"validation loss {result.ValidationLosses[0]:G4} -> {result.BestValidationLoss:G4} (epoch {result.BestEpoch})");

        Assert.True(result.BestValidationLoss < 0.1 * result.ValidationLosses[0],
            $"validation loss only went from {result.ValidationLosses[0]} to {result.BestValidationLoss}");
        Assert.True(result.BestValidationLoss < 0.1 * MeanColumnVariance(data, Features),
            "the reconstruction should explain most of the variance");
    }

    [Fact]
    public void Train_WithSameSeed_GivesBitIdenticalWeightsAndLosses()
    {
        var data = SyntheticSamples.LowRankRows(rows: 300, Features, rank: 3, seed: 2);
        var options = new TrainingOptions { Epochs = 8, Seed = 123 };

        var first = AutoencoderTrainer.Train(data, Features, options);
        var second = AutoencoderTrainer.Train(data, Features, options);

        Assert.Equal(Parameters(first), Parameters(second));
        Assert.Equal(first.TrainLosses, second.TrainLosses);
        Assert.Equal(first.ValidationLosses, second.ValidationLosses);
        Assert.Equal(first.BestEpoch, second.BestEpoch);
    }

    [Fact]
    public void Train_WithDifferentSeed_GivesDifferentWeights()
    {
        var data = SyntheticSamples.LowRankRows(rows: 300, Features, rank: 3, seed: 2);

        var first = AutoencoderTrainer.Train(data, Features, new TrainingOptions { Epochs = 3, Seed = 1 });
        var second = AutoencoderTrainer.Train(data, Features, new TrainingOptions { Epochs = 3, Seed = 2 });

        Assert.NotEqual(Parameters(first), Parameters(second));
        Assert.NotEqual(first.ValidationLosses, second.ValidationLosses);
    }

    [Fact]
    public void Train_WithSmallPatience_StopsEarlyAndReturnsTheBestEpochsWeights()
    {
        // A minimum improvement no later epoch can reach makes epoch 1 the best for good.
        var data = SyntheticSamples.LowRankRows(rows: 200, Features, rank: 3, seed: 4);
        var options = new TrainingOptions { Epochs = 50, Patience = 3, MinDelta = 10, Seed = 9 };

        var stopped = AutoencoderTrainer.Train(data, Features, options);
        var oneEpoch = AutoencoderTrainer.Train(data, Features, options with { Epochs = 1 });

        Assert.True(stopped.StoppedEarly);
        Assert.Equal(1, stopped.BestEpoch);
        Assert.Equal(4, stopped.EpochsRun);
        Assert.Equal(stopped.ValidationLosses[0], stopped.BestValidationLoss);
        Assert.NotEqual(stopped.ValidationLosses[0], stopped.ValidationLosses[^1]);
        Assert.Equal(Parameters(oneEpoch), Parameters(stopped));
        Assert.False(oneEpoch.StoppedEarly);
    }

    [Fact]
    public void Train_WithPatienceOutlastingTheEpochs_RunsEveryEpochAndKeepsTheLowestValidationLoss()
    {
        var data = SyntheticSamples.LowRankRows(rows: 200, Features, rank: 3, seed: 4);

        var result = AutoencoderTrainer.Train(data, Features, new TrainingOptions { Epochs = 12, Patience = 12 });

        Assert.False(result.StoppedEarly);
        Assert.Equal(12, result.EpochsRun);
        Assert.Equal(result.ValidationLosses.Min(), result.BestValidationLoss);
    }

    [Fact]
    public void Train_ReportsEveryEpochInOrder()
    {
        var data = SyntheticSamples.LowRankRows(rows: 100, Features, rank: 3, seed: 6);
        var progress = new RecordingProgress();

        var result = AutoencoderTrainer.Train(data, Features, new TrainingOptions { Epochs = 5 }, progress);

        Assert.Equal([1, 2, 3, 4, 5], progress.Reports.Select(report => report.Epoch));
        Assert.All(progress.Reports, report => Assert.Equal(5, report.TotalEpochs));
        Assert.Equal(result.TrainLosses, progress.Reports.Select(report => report.TrainLoss));
        Assert.Equal(result.ValidationLosses, progress.Reports.Select(report => report.ValidationLoss));
    }

    [Theory]
    [InlineData(nameof(TrainingOptions.ValidationFraction))]
    [InlineData(nameof(TrainingOptions.BatchSize))]
    [InlineData(nameof(TrainingOptions.Patience))]
    public void Train_WithSettingOutOfRange_ThrowsNamingTheSetting(string setting)
    {
        var options = setting switch
        {
            nameof(TrainingOptions.ValidationFraction) => new TrainingOptions { ValidationFraction = 1 },
            nameof(TrainingOptions.BatchSize) => new TrainingOptions { BatchSize = 0 },
            _ => new TrainingOptions { Patience = 0 },
        };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => AutoencoderTrainer.Train(new float[20], 2, options));

        Assert.Equal(setting, error.ParamName);
    }

    [Fact]
    public void Train_WithNonFiniteValue_ThrowsNamingTheRowAndFeature()
    {
        var data = new float[20];
        data[7] = float.NaN;

        var error = Assert.Throws<ArgumentException>(() => AutoencoderTrainer.Train(data, 2));

        Assert.Contains("Row 3, feature 1", error.Message);
    }

    [Fact]
    public void Train_WhenCancelled_Throws()
    {
        var data = SyntheticSamples.LowRankRows(rows: 100, Features, rank: 3, seed: 6);

        Assert.Throws<OperationCanceledException>(() =>
            AutoencoderTrainer.Train(data, Features, cancellationToken: new CancellationToken(canceled: true)));
    }

    private static float[] Parameters(TrainingResult result) =>
        [.. result.Layers.SelectMany(layer => layer.Weights.Concat(layer.Bias))];

    private static double MeanColumnVariance(float[] data, int features)
    {
        var rows = data.Length / features;
        return Enumerable.Range(0, features).Average(f =>
        {
            var column = Enumerable.Range(0, rows).Select(r => (double)data[r * features + f]).ToArray();
            var mean = column.Average();
            return column.Average(x => (x - mean) * (x - mean));
        });
    }

    // Progress<T> posts to the thread pool; this one records synchronously, in order.
    private sealed class RecordingProgress : IProgress<EpochProgress>
    {
        public List<EpochProgress> Reports { get; } = [];

        public void Report(EpochProgress value) => Reports.Add(value);
    }
}
