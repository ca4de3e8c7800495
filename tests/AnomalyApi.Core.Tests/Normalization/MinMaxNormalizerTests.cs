using AnomalyApi.Core.Configuration;
using AnomalyApi.Core.Normalization;

namespace AnomalyApi.Core.Tests.Normalization;

public class MinMaxNormalizerTests
{
    private static MinMaxNormalizer Create(bool clip) =>
        new(new MinMaxNormalization(Min: [0, -10, 7, 1e9], Max: [2, 10, 7, 2e9], Clip: clip));

    private static float[] Normalize(MinMaxNormalizer normalizer, params float[] raw)
    {
        var output = new float[raw.Length];
        normalizer.Normalize(raw, output);
        return output;
    }

    [Fact]
    public void Normalize_WithinRange_MapsMinToZeroAndMaxToOne()
    {
        var normalizer = Create(clip: false);

        Assert.Equal([0f, 0f, 0f, 0f], Normalize(normalizer, 0, -10, 7, 1e9f));
        Assert.Equal([1f, 1f, 0f, 1f], Normalize(normalizer, 2, 10, 7, 2e9f));
        Assert.Equal([0.5f, 0.75f, 0f, 0.5f], Normalize(normalizer, 1, 5, 7, 1.5e9f));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Normalize_ConstantFeature_IsZeroWhateverTheValue(bool clip)
    {
        var normalizer = Create(clip);

        var output = Normalize(normalizer, 1, 0, 123456, 1.5e9f);

        Assert.Equal(0f, output[2]);
    }

    [Fact]
    public void Normalize_OutsideRangeWithoutClip_Extrapolates()
    {
        var normalizer = Create(clip: false);

        var output = Normalize(normalizer, 4, -30, 7, 3e9f);

        Assert.Equal([2f, -1f, 0f, 2f], output);
    }

    [Fact]
    public void Normalize_OutsideRangeWithClip_ClampsToUnitInterval()
    {
        var normalizer = Create(clip: true);

        var output = Normalize(normalizer, 4, -30, 7, 3e9f);

        Assert.Equal([1f, 0f, 0f, 1f], output);
    }

    [Fact]
    public void Normalize_SeveralRows_NormalizesEachRowIndependently()
    {
        var normalizer = Create(clip: false);

        var output = Normalize(normalizer, 0, -10, 7, 1e9f, 2, 10, 7, 2e9f);

        Assert.Equal([0f, 0f, 0f, 0f, 1f, 1f, 0f, 1f], output);
    }

    [Fact]
    public void Normalize_PartialRow_Throws()
    {
        var normalizer = Create(clip: false);

        Assert.Throws<ArgumentException>(() => Normalize(normalizer, 1, 2, 3));
    }

    [Theory]
    [InlineData(0, -0.1f, true)]
    [InlineData(0, 0f, false)]
    [InlineData(0, 2f, false)]
    [InlineData(0, 2.01f, true)]
    [InlineData(2, 7f, false)]
    [InlineData(2, 7.5f, true)]
    public void IsOutOfRange_ComparesWithTrainingMinAndMax(int feature, float raw, bool expected)
    {
        Assert.Equal(expected, Create(clip: true).IsOutOfRange(feature, raw));
    }

    [Fact]
    public void CountOutOfRange_CountsPerFeatureWhatIsOutOfRangeSays()
    {
        var normalizer = Create(clip: true);
        var features = normalizer.FeatureCount;
        var random = new Random(4);
        // Values around each range, its edges included, so both answers occur for every feature.
        float[] candidates = [-1f, -0.1f, 0f, 1f, 2f, 2.01f, 5f, 7f, 7.5f, 100f, 1e9f, 1.5e9f, 2e9f, 3e9f];
        var rows = Enumerable.Range(0, 50 * features).Select(_ => candidates[random.Next(candidates.Length)]).ToArray();
        var expected = new int[features];
        for (var i = 0; i < rows.Length; i++)
        {
            expected[i % features] += normalizer.IsOutOfRange(i % features, rows[i]) ? 1 : 0;
        }
        var counts = new int[features];

        normalizer.CountOutOfRange(rows, counts);

        Assert.Equal(expected, counts);
        Assert.All(expected, count => Assert.InRange(count, 1, 49));
        Assert.Throws<ArgumentException>(() => normalizer.CountOutOfRange(rows.AsSpan(1), counts));
    }
}
