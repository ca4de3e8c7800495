using System.Globalization;
using ScottPlot;
using ScottPlot.Statistics;
using ScottPlot.TickGenerators;

namespace AnomalyApi.Trainer.Training;

/// <summary>
/// Draws the training report: one PNG with the loss curves per epoch on the left and the histogram of the
/// training reconstruction errors with the chosen threshold on the right.
/// </summary>
public static class TrainingReportPlot
{
    /// <summary>Writes the report to <paramref name="path"/> as a PNG of <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    /// <param name="path">The PNG to create or overwrite.</param>
    /// <param name="trainLosses">Training loss per epoch.</param>
    /// <param name="validationLosses">Validation loss per epoch.</param>
    /// <param name="rmse">Reconstruction errors of the training rows.</param>
    /// <param name="threshold">The threshold, drawn over the histogram and labelled with its value.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    public static void WritePng(
        string path,
        IReadOnlyList<float> trainLosses,
        IReadOnlyList<float> validationLosses,
        ReadOnlySpan<double> rmse,
        double threshold,
        int width = 1400,
        int height = 560)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(trainLosses);
        ArgumentNullException.ThrowIfNull(validationLosses);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 100);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 100);
        if (trainLosses.Count == 0 || validationLosses.Count != trainLosses.Count)
        {
            throw new ArgumentException("Both loss curves need one value per epoch, at least one epoch.", nameof(validationLosses));
        }

        if (rmse.IsEmpty)
        {
            throw new ArgumentException("The histogram needs at least one reconstruction error.", nameof(rmse));
        }

        using var losses = LossPlot(trainLosses, validationLosses);
        using var histogram = HistogramPlot(rmse.ToArray(), threshold);

        // Multiplot(plot) starts from that plot instead of an empty one, so the layout holds exactly the two panels.
        var figure = new Multiplot(losses) { Layout = new ScottPlot.MultiplotLayouts.Columns() };
        figure.AddPlot(histogram);
        figure.SavePng(path, width, height);
    }

    private static Plot LossPlot(IReadOnlyList<float> trainLosses, IReadOnlyList<float> validationLosses)
    {
        var plot = new Plot();
        var epochs = Enumerable.Range(1, trainLosses.Count).Select(epoch => (double)epoch).ToArray();

        // Losses fall by orders of magnitude, so the curves are drawn as log10 with ticks labelled in plain values.
        plot.Add.ScatterLine(epochs, Log10(trainLosses)).LegendText = "train";
        plot.Add.ScatterLine(epochs, Log10(validationLosses)).LegendText = "validation";
        plot.Axes.Left.TickGenerator = new NumericAutomatic
        {
            MinorTickGenerator = new LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = exponent => Math.Pow(10, exponent).ToString("G3", CultureInfo.InvariantCulture),
        };

        var best = 1 + validationLosses.Select((loss, i) => (loss, i)).MinBy(pair => pair.loss).i;
        plot.Add.VerticalLine(best, pattern: LinePattern.Dotted).LegendText = $"lowest validation loss (epoch {best})";
        plot.Title("Reconstruction loss per epoch");
        plot.XLabel("epoch");
        plot.YLabel("mean squared error (log scale)");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private static Plot HistogramPlot(double[] rmse, double threshold)
    {
        var plot = new Plot();
        var min = rmse.Min();
        var max = rmse.Max();
        if (max <= min)
        {
            // A constant sample still needs a bin of some width.
            max = min + Math.Max(Math.Abs(min) * 1e-3, 1e-9);
        }

        // √n bins, within reason: enough to show the tail, not so many that most are empty.
        var bins = Math.Clamp((int)Math.Ceiling(Math.Sqrt(rmse.Length)), 10, 80);
        var histogram = Histogram.WithBinCount(bins, min, max);
        histogram.AddRange(rmse);
        plot.Add.Histogram(histogram);

        // The value is shown twice: boxed on the x axis where the line meets it, and in the legend.
        var value = threshold.ToString("G4", CultureInfo.InvariantCulture);
        var line = plot.Add.VerticalLine(threshold, width: 2, color: Colors.Red, pattern: LinePattern.Dashed);
        line.Text = value;
        line.LegendText = $"threshold {value}";
        plot.ShowLegend(Alignment.UpperRight);
        plot.Title($"Training reconstruction error (n = {rmse.Length})");
        plot.XLabel("rmse");
        plot.YLabel("rows");
        return plot;
    }

    private static double[] Log10(IReadOnlyList<float> values) =>
        [.. values.Select(value => Math.Log10(Math.Max(value, 1e-12)))];
}
