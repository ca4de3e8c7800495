using AnomalyApi.Trainer.Training;

namespace AnomalyApi.Trainer.Tests.Training;

public class AutoencoderNetworkTests
{
    [Fact]
    public void Forward_MatchesDoublePrecisionReference()
    {
        var layers = AutoencoderArchitecture.Create(38, seed: 11);
        var batch = SyntheticSamples.LowRankRows(rows: 20, features: 38, rank: 3, seed: 5);
        var output = new float[batch.Length];

        new AutoencoderNetwork(layers).Forward(batch, 20, output);

        var expected = new DoublePrecisionReference(layers).Forward(batch, 20);
        Assert.All(output.Zip(expected), pair => Assert.Equal(pair.Second, pair.First, 1e-5));
    }

    [Fact]
    public void Forward_OverMoreRowsThanOneChunk_MatchesRowByRow()
    {
        const int rows = 600;
        var network = new AutoencoderNetwork(AutoencoderArchitecture.Create(12, seed: 2));
        var batch = SyntheticSamples.LowRankRows(rows, 12, rank: 2, seed: 8);
        var whole = new float[batch.Length];
        network.Forward(batch, rows, whole);

        var single = new float[12];
        for (var r = 0; r < rows; r++)
        {
            network.Forward(batch.AsSpan(r * 12, 12), 1, single);
            Assert.Equal(single, whole.AsSpan(r * 12, 12).ToArray());
        }
    }

    [Fact]
    public void ForwardTraining_KeepsTheSameReconstructionAsForward()
    {
        var network = new AutoencoderNetwork(AutoencoderArchitecture.Create(38, seed: 4));
        var batch = SyntheticSamples.LowRankRows(rows: 16, features: 38, rank: 3, seed: 9);
        var output = new float[batch.Length];
        var trace = new ForwardTrace();

        network.Forward(batch, 16, output);
        network.ForwardTraining(batch, 16, trace);

        Assert.Equal(output, trace.Reconstruction.ToArray());
    }

    [Fact]
    public void LossAndReconstructionErrors_MatchReferenceMseAndRowRmse()
    {
        var layers = AutoencoderArchitecture.Create(38, seed: 6);
        var batch = SyntheticSamples.LowRankRows(rows: 10, features: 38, rank: 3, seed: 1);
        var network = new AutoencoderNetwork(layers);
        var reference = new DoublePrecisionReference(layers);
        var reconstruction = reference.Forward(batch, 10);
        var rmse = new float[10];

        network.ReconstructionErrors(batch, 10, rmse);

        Assert.Equal(reference.Loss(batch, 10), network.Loss(batch, 10), 1e-6);
        for (var r = 0; r < 10; r++)
        {
            var expected = Math.Sqrt(Enumerable.Range(r * 38, 38).Average(i => Math.Pow(batch[i] - reconstruction[i], 2)));
            Assert.Equal(expected, rmse[r], 1e-6);
        }
    }

    [Fact]
    public void Backward_MatchesCentralFiniteDifferences_ForEveryWeightAndBias()
    {
        const int features = 20;
        const int rows = 6;
        const double step = 1e-6;
        var layers = AutoencoderArchitecture.Create(features, seed: 21);
        var random = new Random(13);

        // Inputs in [0.1, 1] keep every unit's pre-activation away from 0, where ReLU has its kink.
        var batch = Enumerable.Range(0, rows * features).Select(_ => (float)(0.1 + 0.9 * random.NextDouble())).ToArray();
        var network = new AutoencoderNetwork(layers);
        var trace = new ForwardTrace();
        var gradients = new NetworkGradients(layers);
        network.ForwardTraining(batch, rows, trace);
        var loss = network.Backward(trace, gradients);

        var reference = new DoublePrecisionReference(layers);
        Assert.Equal(reference.Loss(batch, rows), loss, 1e-6);
        Assert.True(reference.SmallestReluInput > 1e3 * step, $"a pre-activation is {reference.SmallestReluInput}, too close to the ReLU kink");

        var worst = 0.0;
        for (var l = 0; l < layers.Count; l++)
        {
            worst = Math.Max(worst, CheckAgainstFiniteDifferences(reference, reference.Weights[l], gradients.Weights[l], batch, rows, step));
            worst = Math.Max(worst, CheckAgainstFiniteDifferences(reference, reference.Bias[l], gradients.Bias[l], batch, rows, step));
            Assert.Contains(gradients.Weights[l], g => g != 0f);
        }

        Assert.True(worst < 1e-3, $"largest relative gradient error {worst}");
    }

    [Fact]
    public void Constructor_WithLayersThatDoNotChain_Throws()
    {
        DenseLayer[] layers = [new(4, 3, relu: true), new(2, 4, relu: false)];

        var error = Assert.Throws<ArgumentException>(() => new AutoencoderNetwork(layers));

        Assert.Contains("Layer 1 takes 2 inputs", error.Message);
    }

    [Fact]
    public void Forward_WithTooShortBatch_Throws()
    {
        var network = new AutoencoderNetwork(AutoencoderArchitecture.Create(4, seed: 1));

        Assert.Throws<ArgumentException>(() => network.Forward(new float[7], 2, new float[8]));
    }

    // Compares each analytic gradient with (L(p + h) - L(p - h)) / 2h in double; returns the worst relative error.
    private static double CheckAgainstFiniteDifferences(
        DoublePrecisionReference reference, double[] parameters, float[] analytic, float[] batch, int rows, double step)
    {
        var worst = 0.0;
        for (var j = 0; j < parameters.Length; j++)
        {
            var saved = parameters[j];
            parameters[j] = saved + step;
            var plus = reference.Loss(batch, rows);
            parameters[j] = saved - step;
            var minus = reference.Loss(batch, rows);
            parameters[j] = saved;

            var numeric = (plus - minus) / (2 * step);
            var error = Math.Abs(numeric - analytic[j]) / Math.Max(Math.Abs(numeric), 1e-4);
            worst = Math.Max(worst, error);
        }

        return worst;
    }
}
