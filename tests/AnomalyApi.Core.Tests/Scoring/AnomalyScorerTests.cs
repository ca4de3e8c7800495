using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AnomalyApi.Core.Scoring;

namespace AnomalyApi.Core.Tests.Scoring;

public sealed class AnomalyScorerTests : IDisposable
{
    private readonly AnomalyScorer _scorer = AnomalyScorer.Load(ShippedModel.OnnxPath, ShippedModel.ConfigPath);

    public void Dispose() => _scorer.Dispose();

    [Fact]
    public void Load_ShippedModel_ReportsHashOpsetAndConfig()
    {
        Assert.Equal(38, _scorer.FeatureCount);
        Assert.Equal("cpu_0_idle", _scorer.Config.Features[0]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(ShippedModel.OnnxPath))), _scorer.Info.Sha256);
        Assert.Equal(17, _scorer.Info.Opset);
    }

    [Fact]
    public void Score_Row_MatchesIndependentNormalizationAndRmse()
    {
        // Independent of the scorer's code: parse the config as plain JSON and do the model card's maths in double.
        var json = JsonNode.Parse(File.ReadAllText(ShippedModel.ConfigPath))!;
        var min = json["normalization"]!["min"]!.AsArray().Select(n => (double)n!).ToArray();
        var max = json["normalization"]!["max"]!.AsArray().Select(n => (double)n!).ToArray();
        var clip = (bool)json["normalization"]!["clip"]!;
        var threshold = (double)json["threshold"]!;
        var row = ShippedModel.RandomRows(_scorer.Config, rows: 1, seed: 7);

        var scored = _scorer.Score(row);

        double sum = 0;
        for (var i = 0; i < row.Length; i++)
        {
            var expected = max[i] == min[i] ? 0.0 : (row[i] - min[i]) / (max[i] - min[i]);
            if (clip) expected = Math.Clamp(expected, 0, 1);
            Assert.Equal(expected, scored.Normalized[i], 1e-6);
            var diff = expected - scored.Reconstruction[i];
            sum += diff * diff;
        }
        Assert.Equal(Math.Sqrt(sum / row.Length), scored.Rmse[0], 1e-6);
        Assert.Equal(scored.Rmse[0] > threshold, scored.IsAnomaly[0]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(256)]
    [InlineData(257)]
    [InlineData(1000)]
    public void Score_Batch_EqualsScoringEachRowAlone(int rows)
    {
        var values = ShippedModel.RandomRows(_scorer.Config, rows, seed: rows);

        var batch = _scorer.Score(values);

        Assert.Equal(rows, batch.Rows);
        for (var row = 0; row < rows; row++)
        {
            var single = _scorer.Score(values.AsSpan(row * 38, 38));
            Assert.Equal(single.Rmse[0], batch.Rmse[row]);
            Assert.Equal(single.IsAnomaly[0], batch.IsAnomaly[row]);
            Assert.True(single.Reconstruction.AsSpan().SequenceEqual(batch.ReconstructionRow(row)), $"row {row} reconstruction differs");
        }
    }

    [Fact]
    public async Task Score_FromManyThreads_GivesTheSequentialResults()
    {
        var inputs = Enumerable.Range(0, 64).Select(i => ShippedModel.RandomRows(_scorer.Config, rows: 1 + i % 9, seed: 100 + i)).ToArray();
        var expected = inputs.Select(input => _scorer.Score(input).Rmse).ToArray();

        var actual = await Task.WhenAll(inputs.Select((input, i) => Task.Run(() =>
            Enumerable.Range(0, 50).Select(_ => _scorer.Score(input).Rmse).ToArray())));

        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.All(actual[i], rmse => Assert.Equal(expected[i], rmse));
        }
    }

    [Fact]
    public void Load_ByDefault_HoldsOneSessionPerProcessor()
    {
        Assert.Equal(Environment.ProcessorCount, _scorer.SessionCount);
    }

    [Fact]
    public void ScoreOnSession_EverySession_GivesTheSameResults()
    {
        using var scorer = AnomalyScorer.Load(ShippedModel.OnnxPath, ShippedModel.ConfigPath, new ScorerOptions { Sessions = 3 });
        // 300 rows: a full 256-row chunk, then 44 rows padded to 64, so each session runs two shapes.
        var rows = ShippedModel.RandomRows(scorer.Config, rows: 300, seed: 21);
        var expected = _scorer.Score(rows);

        Assert.Equal(3, scorer.SessionCount);
        for (var session = 0; session < scorer.SessionCount; session++)
        {
            var scored = scorer.ScoreOnSession(session, rows);
            Assert.Equal(expected.Rmse, scored.Rmse);
            Assert.Equal(expected.Reconstruction, scored.Reconstruction);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Load_FewerThanOneSession_Throws(int sessions)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            AnomalyScorer.Load(ShippedModel.OnnxPath, ShippedModel.ConfigPath, new ScorerOptions { Sessions = sessions }));
        Assert.Equal("Sessions", ex.ParamName);
    }

    [Fact]
    public void TopFeatures_AreTheLargestSquaredErrorsInDescendingOrder()
    {
        var scored = _scorer.Score(ShippedModel.RandomRows(_scorer.Config, rows: 2, seed: 3));

        var top = scored.TopFeatures(row: 1, count: 5);

        var expected = scored.SquaredErrorRow(1).ToArray().Select((e, i) => (e, i)).OrderByDescending(p => p.e).Take(5).ToArray();
        Assert.Equal(expected.Select(p => p.i), top.Select(t => t.Index));
        Assert.Equal(expected.Select(p => p.e), top.Select(t => t.Error));
        Assert.Equal(_scorer.Config.Features[expected[0].i], top[0].Name);
    }

    [Fact]
    public void Score_PartialRow_Throws()
    {
        Assert.Throws<ArgumentException>(() => _scorer.Score(new float[37]));
    }

    [Fact]
    public void TypicalRow_OnShippedModel_ScoresBelowTheThresholdUnlikeMidRange()
    {
        var midRange = _scorer.Config.Normalization.Min.Zip(_scorer.Config.Normalization.Max, (min, max) => (float)((min + max) / 2)).ToArray();

        var typical = _scorer.Score(_scorer.TypicalRow());

        Assert.False(typical.IsAnomaly[0], $"typical row rmse {typical.Rmse[0]} vs threshold {_scorer.Config.Threshold}");
        Assert.True(typical.Rmse[0] < _scorer.Score(midRange).Rmse[0]);
    }

    [Fact]
    public void WarmUp_OnShippedModel_Succeeds()
    {
        _scorer.WarmUp();
    }
}
