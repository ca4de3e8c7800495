using AnomalyApi.Collector;
using AnomalyApi.Core.Telemetry;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Tests.Collector;

/// <summary>The collector's ring, its problem transitions and the readiness check, without a host.</summary>
public sealed class CollectorStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static CollectorState State(int recentCount = 3) =>
        new(Options.Create(new CollectorOptions { Enabled = true, RecentCount = recentCount }));

    private static CollectorResult Result(int second) =>
        new(T0.AddSeconds(second), second, false, 1.0, null, [], new Dictionary<string, float>());

    [Fact]
    public void Snapshot_AfterMoreThanRecentCountResults_KeepsTheNewestFirst()
    {
        var state = State(recentCount: 3);

        for (var second = 1; second <= 5; second++)
        {
            state.RecordResult(Result(second));
        }

        var (lastSuccessAt, problem, _, results) = state.Snapshot();
        Assert.Equal([5.0, 4.0, 3.0], results.Select(r => r.Rmse));
        Assert.Equal(T0.AddSeconds(5), lastSuccessAt);
        Assert.Null(problem);
    }

    [Fact]
    public void RecordProblem_OfTheSameKindAgain_IsNoTransition_AndKeepsItsStart()
    {
        var state = State();

        var first = state.RecordProblem(CollectorProblemKind.Unreachable, "down", T0);
        var again = state.RecordProblem(CollectorProblemKind.Unreachable, "down, still", T0.AddSeconds(15));
        var other = state.RecordProblem(CollectorProblemKind.MissingFeatures, "cpu_3 missing", T0.AddSeconds(30));

        Assert.True(first);
        Assert.False(again);
        Assert.True(other);
        var (_, problem, since, _) = state.Snapshot();
        Assert.Equal("cpu_3 missing", problem);
        Assert.Equal(T0.AddSeconds(30), since);
    }

    [Fact]
    public void RecordResult_AfterAProblem_ClearsIt_AndReturnsWhenItStarted()
    {
        var state = State();
        state.RecordProblem(CollectorProblemKind.Unreachable, "down", T0);

        var since = state.RecordResult(Result(45));

        Assert.Equal(T0, since);
        Assert.Null(state.Snapshot().Problem);
        Assert.True(state.RecordProblem(CollectorProblemKind.Unreachable, "down again", T0.AddSeconds(60)));
    }

    [Fact]
    public async Task HealthCheck_IsDegradedWhileWaiting_DegradedWithTheProblem_AndHealthyAfterAResult()
    {
        var state = State();
        var check = new CollectorHealthCheck(state);

        var waiting = await check.CheckHealthAsync(new HealthCheckContext());
        state.RecordProblem(CollectorProblemKind.Unreachable, "node_exporter at http://127.0.0.1:9/metrics did not answer: refused", T0);
        var failing = await check.CheckHealthAsync(new HealthCheckContext());
        state.RecordResult(Result(1));
        var healthy = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal((HealthStatus.Degraded, "waiting for the first two scrapes"), (waiting.Status, waiting.Description));
        Assert.Equal((HealthStatus.Degraded, "node_exporter at http://127.0.0.1:9/metrics did not answer: refused"), (failing.Status, failing.Description));
        Assert.Equal(HealthStatus.Healthy, healthy.Status);
    }

    [Fact]
    public void DescribeMissing_WithWholeCpusMissing_NamesThemAndTheMachinesCpus()
    {
        MissingFeature[] missing =
        [
            new("cpu_2_idle", "node_cpu_seconds_total{cpu=\"2\",mode=\"idle\"} is not exported (this machine has CPUs 0-1)"),
            new("cpu_3_idle", "node_cpu_seconds_total{cpu=\"3\",mode=\"idle\"} is not exported (this machine has CPUs 0-1)"),
        ];

        var text = TelemetryCollector.DescribeMissing(missing, [0, 1]);

        Assert.Equal(
            "the model wants cpu_2_*, cpu_3_* but this machine exports CPUs 0-1: " +
            "cpu_2_idle: node_cpu_seconds_total{cpu=\"2\",mode=\"idle\"} is not exported (this machine has CPUs 0-1) (and 1 more)",
            text);
    }

    [Fact]
    public void DescribeMissing_WithOnlyAGaugeMissing_ListsTheFeatures()
    {
        var text = TelemetryCollector.DescribeMissing([new("node_memory_Cached_bytes", "not exported")], [0, 1]);

        Assert.Equal("this machine does not export 1 of the model's features: node_memory_Cached_bytes: not exported", text);
    }
}
