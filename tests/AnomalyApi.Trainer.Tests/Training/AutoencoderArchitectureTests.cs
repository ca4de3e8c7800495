using AnomalyApi.Trainer.Training;

namespace AnomalyApi.Trainer.Tests.Training;

public class AutoencoderArchitectureTests
{
    [Fact]
    public void LayerWidths_With38Features_MirrorsTheSeedModel()
    {
        Assert.Equal([38, 28, 19, 9, 3, 9, 19, 28, 38], AutoencoderArchitecture.LayerWidths(38));
    }

    [Theory]
    [InlineData(4, new[] { 4, 3, 2, 1, 1, 1, 2, 3, 4 })]
    [InlineData(1, new[] { 1, 1, 1, 1, 1, 1, 1, 1, 1 })]
    [InlineData(10, new[] { 10, 7, 5, 2, 1, 2, 5, 7, 10 })]
    [InlineData(30, new[] { 30, 22, 15, 7, 3, 7, 15, 22, 30 })]
    public void LayerWidths_WithFewFeatures_KeepsEveryWidthAtLeastOne(int features, int[] expected)
    {
        Assert.Equal(expected, AutoencoderArchitecture.LayerWidths(features));
    }

    [Fact]
    public void LayerWidths_WithNoFeatures_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AutoencoderArchitecture.LayerWidths(0));
    }

    [Fact]
    public void Create_With38Features_ChainsEightLayersWithReluOnHiddenOnly()
    {
        var layers = AutoencoderArchitecture.Create(38, seed: 1);

        Assert.Equal(8, layers.Count);
        Assert.Equal([38, 28, 19, 9, 3, 9, 19, 28], layers.Select(layer => layer.Inputs));
        Assert.Equal([28, 19, 9, 3, 9, 19, 28, 38], layers.Select(layer => layer.Outputs));
        Assert.Equal([true, true, true, true, true, true, true, false], layers.Select(layer => layer.Relu));
    }

    [Fact]
    public void Create_DrawsWeightsAndBiasesWithinPyTorchDefaultBound()
    {
        foreach (var layer in AutoencoderArchitecture.Create(38, seed: 7))
        {
            var bound = 1 / Math.Sqrt(layer.Inputs);
            Assert.All(layer.Weights.Concat(layer.Bias), value => Assert.InRange(Math.Abs(value), 0, bound));

            // Uniform over the whole interval, not squeezed near zero.
            Assert.True(layer.Weights.Max(Math.Abs) > 0.5 * bound);
        }
    }

    [Fact]
    public void Create_WithSameSeed_GivesIdenticalWeights_AndWithAnotherSeedDifferent()
    {
        var first = AutoencoderArchitecture.Create(38, seed: 3);
        var again = AutoencoderArchitecture.Create(38, seed: 3);
        var other = AutoencoderArchitecture.Create(38, seed: 4);

        Assert.Equal(first.SelectMany(layer => layer.Weights), again.SelectMany(layer => layer.Weights));
        Assert.Equal(first.SelectMany(layer => layer.Bias), again.SelectMany(layer => layer.Bias));
        Assert.NotEqual(first.SelectMany(layer => layer.Weights), other.SelectMany(layer => layer.Weights));
    }
}
