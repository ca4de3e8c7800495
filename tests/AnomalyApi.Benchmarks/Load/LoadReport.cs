using System.Globalization;
using System.Text;

namespace AnomalyApi.Benchmarks.Load;

/// <summary>The load benchmark's markdown: one table of medians across rounds, ratios to the baseline, and the issue's targets.</summary>
public static class LoadReport
{
    public static string Render(
        IReadOnlyDictionary<string, List<WrkResult>> results, IReadOnlyList<(string Name, int Rows)> targets,
        string predict, IReadOnlyList<string> batches, string baseline, string baselineBatch, LoadOptions options, IReadOnlyList<double> coldStarts, long peakRss,
        string? sustained, IReadOnlyDictionary<string, string> environment)
    {
        var rounds = results[baseline].Count;
        // Ratios are taken within a round (same machine state), then the median across rounds.
        double RatioMedian(string name, Func<WrkResult, double> metric, string? of = null) =>
            LoadCommand.Median(Enumerable.Range(0, rounds).Select(i => metric(results[name][i]) / metric(results[of ?? baseline][i])));
        double MedianOf(string name, Func<WrkResult, double> metric) => LoadCommand.Median(results[name].Select(metric));

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} CPUs ({Cpu()}), load average {LoadCommand.LoadAverage()} at the end; wrk -t1 -c{options.Connections}, " +
            $"{options.Duration.TotalSeconds:0} s per measurement after {options.Warmup.TotalSeconds:0} s warm-up ({options.Settle.TotalSeconds:0} s per target before the first), {rounds} rounds, each target beside its baseline and every other round in reverse order (medians); " +
            $"servers and wrk {(options.Pin ? "pinned to CPU 0 and CPU 1" : "unpinned")}; {string.Join(' ', environment.Select(e => $"{e.Key}={e.Value}"))}");
        text.AppendLine();
        text.AppendLine("| target | requests/s | rows/s | p50 (ms) | p99 (ms) | non-2xx | requests/s ÷ baseline | p99 ÷ baseline |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, rows) in targets)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {name}{(rows > 1 ? $" ({rows} rows)" : "")} | {MedianOf(name, r => r.RequestsPerSecond):F0} | {MedianOf(name, r => r.RequestsPerSecond) * rows:F0} | " +
                $"{MedianOf(name, r => r.P50Ms):F2} | {MedianOf(name, r => r.P99Ms):F2} | {results[name].Sum(r => r.Non2xx + r.SocketErrors)} | " +
                $"{RatioMedian(name, r => r.RequestsPerSecond):F2} | {RatioMedian(name, r => r.P99Ms):F2} |");
        }
        text.AppendLine();

        double RowsRatio(string batch, string single) => LoadCommand.Median(Enumerable.Range(0, rounds).Select(i =>
            results[batch][i].RequestsPerSecond * targets.Single(t => t.Name == batch).Rows / results[single][i].RequestsPerSecond));
        var throughput = RatioMedian(predict, r => r.RequestsPerSecond);
        var p99 = RatioMedian(predict, r => r.P99Ms);
        text.AppendLine("| issue 6 target | measured | verdict |");
        text.AppendLine("| --- | --- | --- |");
        // Each round's ratio too: the median alone hides how far the rounds spread on a shared VM.
        var byRound = string.Join(", ", Enumerable.Range(0, rounds).Select(i =>
            (results[predict][i].RequestsPerSecond / results[baseline][i].RequestsPerSecond).ToString("F2", CultureInfo.InvariantCulture)));
        Target(text, "/predict requests/s ≥ 0.85 × baseline", $"{throughput:F2} × (rounds {byRound})", throughput >= 0.85);
        Target(text, "/predict p99 ≤ 1.5 × baseline p99", $"{p99:F2} ×", p99 <= 1.5);
        foreach (var batch in batches)
        {
            var rowsRatio = RowsRatio(batch, predict);
            Target(text, $"{batch} rows/s ≥ 25 × /predict requests/s", $"{rowsRatio:F1} ×", rowsRatio >= 25);
        }
        // Not targets: how far JSON batches are from their own ceiling, and what the ceiling itself reaches.
        var ofCeiling = RatioMedian(batches[0], r => r.RequestsPerSecond, of: baselineBatch);
        text.AppendLine(CultureInfo.InvariantCulture, $"| (for reference) {batches[0]} requests/s ÷ {baselineBatch}'s | {ofCeiling:F2} × | |");
        var ceiling = RowsRatio(baselineBatch, baseline);
        text.AppendLine(CultureInfo.InvariantCulture, $"| (for reference) {baselineBatch} rows/s ÷ {baseline} requests/s | {ceiling:F1} × | |");
        if (sustained is not null)
        {
            Target(text, "RSS < 200 MB under sustained load", $"peak {LoadCommand.Mb(peakRss)} MB", peakRss < 200L * 1024 * 1024);
        }
        if (coldStarts.Count > 0)
        {
            var median = LoadCommand.Median(coldStarts);
            Target(text, "published cold start to /health/ready < 1.5 s", $"median {median:F0} ms of {coldStarts.Count}", median < 1500);
        }
        if (sustained is not null)
        {
            text.AppendLine();
            text.AppendLine(sustained);
        }
        return text.ToString();
    }

    private static void Target(StringBuilder text, string target, string measured, bool pass) =>
        text.AppendLine(CultureInfo.InvariantCulture, $"| {target} | {measured} | {(pass ? "pass" : "FAIL")} |");

    private static string Cpu()
    {
        const string prefix = "model name";
        return File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
            : "?";
    }
}
