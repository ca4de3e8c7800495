using AnomalyApi.Trainer.Training;
using SkiaSharp;

namespace AnomalyApi.Trainer.Tests.Training;

public sealed class TrainingReportPlotTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("anomaly-plot-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void WritePng_WritesAPngOfTheRequestedSize()
    {
        var path = Path.Combine(_directory, "training_report.png");
        float[] train = [0.08f, 0.03f, 0.01f, 0.004f, 0.002f, 0.0015f];
        float[] validation = [0.09f, 0.035f, 0.012f, 0.005f, 0.0022f, 0.0024f];
        var rmse = SyntheticSamples.Exponential(500, mean: 0.02, seed: 1);
        var threshold = ThresholdSelector.Select(rmse, ThresholdMethod.P99);

        TrainingReportPlot.WritePng(path, train, validation, rmse, threshold.Value, width: 1200, height: 500);

        var bytes = File.ReadAllBytes(path);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], bytes.Take(8));
        using var image = SKBitmap.Decode(bytes);
        Assert.NotNull(image);
        Assert.Equal(1200, image.Width);
        Assert.Equal(500, image.Height);
    }

    [Fact]
    public void WritePng_WithConstantErrorsAndOneEpoch_StillWrites()
    {
        var path = Path.Combine(_directory, "constant.png");

        TrainingReportPlot.WritePng(path, [0.01f], [0.02f], [0.1, 0.1, 0.1], threshold: 0.1, width: 400, height: 300);

        using var image = SKBitmap.Decode(path);
        Assert.Equal((400, 300), (image.Width, image.Height));
    }

    [Fact]
    public void WritePng_WithMismatchedLossCurves_Throws()
    {
        Assert.Throws<ArgumentException>(() =>
            TrainingReportPlot.WritePng(Path.Combine(_directory, "x.png"), [0.1f, 0.2f], [0.1f], [0.1, 0.2], 0.15));
    }
}
