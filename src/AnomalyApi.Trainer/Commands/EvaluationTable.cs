using System.Globalization;
using AnomalyApi.Trainer.Evaluation;
using Spectre.Console;

namespace AnomalyApi.Trainer.Commands;

/// <summary>Renders an <see cref="EvaluationReport"/> as the console table <c>evaluate</c> prints.</summary>
public static class EvaluationTable
{
    /// <summary>One row per metric, pointwise and point-adjusted side by side.</summary>
    public static Table Render(EvaluationReport report)
    {
        var table = new Table().AddColumn("metric").AddColumn(new TableColumn("pointwise").RightAligned()).AddColumn(new TableColumn("point-adjusted").RightAligned());
        void Both(string metric, Func<ConfusionMatrix, string> value) => table.AddRow(metric, value(report.Pointwise), value(report.PointAdjusted));
        void One(string metric, string value) => table.AddRow(metric, value, "");

        One("threshold", F(report.Threshold, "G6"));
        Both("precision", m => F(m.Precision));
        Both("recall", m => F(m.Recall));
        Both("F1", m => F(m.F1));
        Both("false positive rate", m => F(m.FalsePositiveRate));
        Both("TP / FP / TN / FN", m => $"{m.TruePositives} / {m.FalsePositives} / {m.TrueNegatives} / {m.FalseNegatives}");
        One("ROC-AUC", F(report.RocAuc));
        One("PR-AUC (average precision)", F(report.AveragePrecision));
        One("best-F1 threshold", $"{F(report.BestThreshold, "G6")} (F1 {F(report.BestF1)})");
        One("segments detected", $"{report.DetectedSegments} / {report.TotalSegments}");
        One("mean rows to detect", F(report.MeanRowsToDetect, "F2"));
        return table;
    }

    private static string F(double? value, string format = "F4") =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";
}
