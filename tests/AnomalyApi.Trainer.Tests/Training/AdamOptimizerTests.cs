using AnomalyApi.Trainer.Training;

namespace AnomalyApi.Trainer.Tests.Training;

public class AdamOptimizerTests
{
    [Fact]
    public void Step_FirstStep_MovesEveryParameterByTheLearningRateAgainstItsGradient()
    {
        // Bias correction makes the first step m̂ / √v̂ = g / |g|: a step of exactly lr for any gradient size.
        var layer = new DenseLayer(3, 2, relu: false);
        var gradients = new NetworkGradients([layer]);
        float[] weightGradients = [0.5f, -2f, 1e-3f, -1e-3f, 30f, -0.25f];
        weightGradients.CopyTo(gradients.Weights[0], 0);
        gradients.Bias[0][0] = 4f;
        gradients.Bias[0][1] = -0.01f;

        new AdamOptimizer([layer], learningRate: 0.01f).Step(gradients);

        Assert.Equal(weightGradients.Select(g => -0.01f * Math.Sign(g)), layer.Weights.Select(w => (float)Math.Round(w, 6)));
        Assert.Equal([-0.01f, 0.01f], layer.Bias.Select(b => (float)Math.Round(b, 6)));
    }

    [Fact]
    public void Step_TwoSteps_MatchHandComputedUpdates()
    {
        var layer = new DenseLayer(1, 1, relu: false);
        layer.Weights[0] = 1f;
        var gradients = new NetworkGradients([layer]);
        var adam = new AdamOptimizer([layer]);

        gradients.Weights[0][0] = 0.5f;
        adam.Step(gradients);
        gradients.Weights[0][0] = -0.25f;
        adam.Step(gradients);

        // t = 1: m = 0.05, v = 0.00025, m̂ = 0.5, v̂ = 0.25: step 1e-3 · 0.5 / (0.5 + 1e-8).
        // t = 2: m = 0.9 · 0.05 + 0.1 · -0.25 = 0.02, v = 0.999 · 0.00025 + 0.001 · 0.0625 = 0.00031225,
        //        m̂ = 0.02 / 0.19, v̂ = 0.00031225 / 0.001999.
        var first = 1e-3 * 0.5 / (0.5 + 1e-8);
        var second = 1e-3 * (0.02 / 0.19) / (Math.Sqrt(0.00031225 / 0.001999) + 1e-8);
        Assert.Equal(1 - first - second, layer.Weights[0], 1e-6);
        Assert.Equal(2, adam.Steps);
    }

    [Fact]
    public void Step_WithGradientsOfAnotherShape_Throws()
    {
        var adam = new AdamOptimizer([new DenseLayer(2, 2, relu: false)]);

        Assert.Throws<ArgumentException>(() => adam.Step(new NetworkGradients([new DenseLayer(3, 2, relu: false)])));
    }
}
