namespace AnomalyApi.Contracts.Json;

/// <summary>
/// Writes a float as the framework's shortest round-trip text (what Utf8JsonWriter writes), about twice as fast
/// for the magnitudes a model's output has, and declines the rest (zero, below 1e-4, from 1e7, non-finite), for which
/// the caller uses the framework.
/// </summary>
/// <remarks>
/// Exact integer arithmetic, as Steele and White's shortest-digits method: the float's rounding interval (half an ulp
/// each side, a quarter below a power of two; ends included when the mantissa is even, as round-half-even parsing
/// treats them) is scaled by growing powers of ten until it holds an integer; of those the one nearest the exact
/// value is the digits. An exact tie between two candidates is declined too, not guessed.
/// </remarks>
public static class FastSingleFormat
{
    private static readonly ulong[] PowersOfTen =
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
        10_000_000_000, 100_000_000_000, 1_000_000_000_000, 10_000_000_000_000,
    ];

    /// <summary>The text into <paramref name="destination"/> (16 bytes suffice), or false to use the framework.</summary>
    public static bool TryFormat(float value, Span<byte> destination, out int written)
    {
        written = 0;
        var magnitude = Math.Abs(value);
        if (!(magnitude >= 1e-4f && magnitude < 1e7f) || destination.Length < 16)
        {
            return false;
        }
        var bits = BitConverter.SingleToUInt32Bits(magnitude);
        var fraction = bits & 0x7F_FFFF;
        var biased = (int)(bits >> 23);
        var m = (ulong)(fraction | 0x80_0000);
        var e = biased - 150;   // magnitude = m × 2^e, e <= 0 here
        var shift = 2 - e;      // the interval's ends are (4m ± 2) × 2^(e-2) = (4m ± 2) / 2^shift
        var even = (m & 1) == 0;
        var low = 4 * m - (fraction == 0 && biased > 1 ? 1UL : 2UL);
        var mid = 4 * m;
        var high = 4 * m + 2;

        // Decimal exponent of the leading digit: 10^d <= magnitude < 10^(d+1), d in -4..6 (log10(2) ≈ 1233/4096).
        var d = ((biased - 127) * 1233) >> 12;
        while (d < 6 && magnitude >= Pow10Single(d + 1))
        {
            d++;
        }
        while (magnitude < Pow10Single(d))
        {
            d--;
        }
        // k: decimals kept, from one significant digit (never fewer than none) to nine, which always round-trip.
        // Whether the scaled interval holds an integer only turns from no to yes as k grows, so the smallest k that
        // holds one is found by walking down from nine significant digits: a model's outputs mostly need eight or
        // nine, which this settles in one or two steps where a binary search over the range took four or five.
        var fewest = Math.Max(0, -d);
        var k = 8 - d;
        if (!Bounds(low, high, even, PowersOfTen[k], shift, out var lowest, out var highest))
        {
            return false;
        }
        while (k > fewest && Bounds(low, high, even, PowersOfTen[k - 1], shift, out var lower, out var higher))
        {
            (k, lowest, highest) = (k - 1, lower, higher);
        }
        var nearest = Scale(mid, PowersOfTen[k], shift, out var midRemainder);
        var half = 1UL << (shift - 1);
        if (midRemainder == half)
        {
            return false;
        }
        if (midRemainder > half)
        {
            nearest++;
        }
        nearest = Math.Clamp(nearest, lowest, highest);
        written = Write(value < 0, nearest, k, destination);
        return true;
    }

    // The integers in the interval scaled by `scale`: ends included for an even mantissa (round-half-even parsing).
    private static bool Bounds(ulong low, ulong high, bool even, ulong scale, int shift, out ulong lowest, out ulong highest)
    {
        lowest = Scale(low, scale, shift, out var lowRemainder);
        if (!even || lowRemainder != 0)
        {
            lowest++;   // inclusive: ceil; exclusive: floor + 1
        }
        highest = Scale(high, scale, shift, out var highRemainder);
        if (!even && highRemainder == 0)
        {
            highest--;  // exclusive: the end itself does not count
        }
        return lowest <= highest;
    }

    // 10^exponent for exponent -5..7, as a table because the switch it replaces was not inlined.
    private static float Pow10Single(int exponent) => SinglePowersOfTen[exponent + 5];

    private static ReadOnlySpan<float> SinglePowersOfTen => [1e-5f, 1e-4f, 1e-3f, 1e-2f, 1e-1f, 1f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f];

    // floor(value × scale / 2^shift), and the remainder; shift is below 64.
    private static ulong Scale(ulong value, ulong scale, int shift, out ulong remainder)
    {
        var high = Math.BigMul(value, scale, out var low);
        remainder = low & ((1UL << shift) - 1);
        return (high << (64 - shift)) | (low >> shift);
    }

    // The digits with a point before the last `decimals` of them, at least one digit before it: two digits at a time
    // from the right, because Utf8Formatter's two calls (one with a 'D' precision) cost as much as finding the digits.
    private static int Write(bool negative, ulong digits, int decimals, Span<byte> destination)
    {
        Span<byte> text = stackalloc byte[20];
        var start = text.Length;
        var value = (uint)digits;   // nine significant digits at most, so at most 10^9 (after rounding up): 32 bits
        while (value >= 100)
        {
            var pair = (value % 100) * 2;
            value /= 100;
            text[--start] = DigitPairs[(int)pair + 1];
            text[--start] = DigitPairs[(int)pair];
        }
        if (value >= 10)
        {
            text[--start] = DigitPairs[(int)value * 2 + 1];
            text[--start] = DigitPairs[(int)value * 2];
        }
        else
        {
            text[--start] = (byte)('0' + value);
        }
        // Leading zeros up to one before the point: 0.000123 is digits 123 with six decimals.
        while (text.Length - start <= decimals)
        {
            text[--start] = (byte)'0';
        }
        var at = 0;
        if (negative)
        {
            destination[at++] = (byte)'-';
        }
        var integerLength = text.Length - start - decimals;
        text.Slice(start, integerLength).CopyTo(destination[at..]);
        at += integerLength;
        if (decimals > 0)
        {
            destination[at++] = (byte)'.';
            text[(text.Length - decimals)..].CopyTo(destination[at..]);
            at += decimals;
        }
        return at;
    }

    private static ReadOnlySpan<byte> DigitPairs =>
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;
}
