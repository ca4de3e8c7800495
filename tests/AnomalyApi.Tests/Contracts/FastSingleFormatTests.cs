using System.Buffers;
using System.Text;
using System.Text.Json;
using AnomalyApi.Contracts.Json;

namespace AnomalyApi.Tests.Contracts;

/// <summary>The fast float formatter against what Utf8JsonWriter writes for the same float, byte for byte.</summary>
public sealed class FastSingleFormatTests
{
    [Theory]
    [InlineData(1e-4f)]
    [InlineData(0.1f)]
    [InlineData(0.3f)]
    [InlineData(1f)]
    [InlineData(-1.5f)]
    [InlineData(0.5f)]
    [InlineData(2f)]
    [InlineData(1024f)]
    [InlineData(8388608f)]
    [InlineData(8388609f)]
    [InlineData(9999999f)]
    [InlineData(123456.79f)]
    [InlineData(0.00012345678f)]
    [InlineData(3.0517578e-5f)]
    [InlineData(1e7f)]
    [InlineData(0f)]
    public void Format_MatchesTheWriter(float value) => _ = AssertSame(value);

    [Fact]
    public void Format_OfRandomFloats_MatchesTheWriter()
    {
        var random = new Random(23);
        var handled = 0;
        for (var i = 0; i < 300_000; i++)
        {
            var value = (i % 4) switch
            {
                // Every bit pattern in the fast range's exponents, with both parities of the mantissa.
                0 => BitConverter.Int32BitsToSingle(random.Next(0x38D1_B717, 0x4B18_9680)),
                1 => (float)random.NextDouble(),
                2 => (float)(random.NextDouble() * Math.Pow(10, random.Next(-5, 8))) * (random.Next(2) == 0 ? -1 : 1),
                // Powers of two and their neighbours, where the interval below is half the one above.
                _ => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(MathF.Pow(2, random.Next(-14, 24))) + random.Next(-2, 3)),
            };
            handled += AssertSame(value) ? 1 : 0;
        }
        // Most of these lie in the fast range: the comparison is not vacuous.
        Assert.InRange(handled, 150_000, 300_000);
    }

    private static bool AssertSame(float value)
    {
        var expected = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(expected))
        {
            writer.WriteNumberValue(value);
        }
        Span<byte> text = stackalloc byte[16];
        if (FastSingleFormat.TryFormat(value, text, out var length))
        {
            Assert.Equal(Encoding.UTF8.GetString(expected.WrittenSpan), Encoding.UTF8.GetString(text[..length]));
            return true;
        }
        return false;
    }
}
