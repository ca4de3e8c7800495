using System.Text.Json;

namespace AnomalyApi.Contracts.Json;

/// <summary>
/// Reads the JSON numbers telemetry is made of (up to 19 significant digits, a small exponent) several times faster
/// than <see cref="Utf8JsonReader.TryGetSingle"/>, with the same result bit for bit, and defers to it for the rest.
/// </summary>
/// <remarks>
/// Clinger's fast path: a mantissa below 2^53 times or over a power of ten up to 10^22 is one correctly rounded
/// double operation. Rounding that double to float then gives the correctly rounded float unless the double sits
/// exactly halfway between two floats (a float midpoint nearer the decimal than the double would itself be a nearer
/// double), so that case, and subnormal or overflowing results, go to the framework's parser.
/// </remarks>
public static class FastSingle
{
    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>As <see cref="Utf8JsonReader.TryGetSingle"/> on a Number token.</summary>
    public static bool TryGetSingle(ref Utf8JsonReader reader, out float value) =>
        !reader.HasValueSequence && TryParse(reader.ValueSpan, out value) || reader.TryGetSingle(out value);

    /// <summary>Parses a JSON number's text when the fast path is exact; false leaves it to the framework.</summary>
    internal static bool TryParse(ReadOnlySpan<byte> number, out float value)
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (i < number.Length && number[i] == (byte)'-')
        {
            negative = true;
            i++;
        }
        ulong mantissa = 0;
        var digits = 0;
        var exponent = 0;
        // Integer part, then fraction: leading zeros do not count as significant digits.
        for (; i < number.Length && IsDigit(number[i]); i++)
        {
            if (!Accumulate(number[i], ref mantissa, ref digits))
            {
                return false;
            }
        }
        if (i < number.Length && number[i] == (byte)'.')
        {
            for (i++; i < number.Length && IsDigit(number[i]); i++)
            {
                if (!Accumulate(number[i], ref mantissa, ref digits))
                {
                    return false;
                }
                exponent--;
            }
        }
        if (i < number.Length && (number[i] | 0x20) == (byte)'e')
        {
            i++;
            var negativeExponent = false;
            if (i < number.Length && number[i] is (byte)'+' or (byte)'-')
            {
                negativeExponent = number[i] == (byte)'-';
                i++;
            }
            var written = 0;
            for (; i < number.Length && IsDigit(number[i]); i++)
            {
                written = written * 10 + (number[i] - '0');
                if (written > 1000)
                {
                    return false;
                }
            }
            exponent += negativeExponent ? -written : written;
        }
        if (i != number.Length)
        {
            return false;
        }
        if (mantissa == 0)
        {
            value = negative ? -0f : 0f;
            return true;
        }
        if (mantissa > (1UL << 53) || exponent < -22 || exponent > 22)
        {
            return false;
        }
        var result = exponent < 0 ? mantissa / PowersOfTen[-exponent] : mantissa * PowersOfTen[exponent];
        var bits = BitConverter.DoubleToUInt64Bits(result);
        // The 29 fraction bits a float drops: exactly 1000…0 is a float midpoint.
        if ((bits & 0x1FFF_FFFFUL) == 0x1000_0000UL || result < float.Epsilon * (1 << 23) || result > float.MaxValue)
        {
            return false;
        }
        value = negative ? -(float)result : (float)result;
        return true;
    }

    private static bool IsDigit(byte c) => (uint)(c - '0') <= 9;

    private static bool Accumulate(byte c, ref ulong mantissa, ref int digits)
    {
        if (mantissa == 0 && c == '0')
        {
            return true;
        }
        if (++digits > 19)
        {
            return false;
        }
        mantissa = mantissa * 10 + (ulong)(c - '0');
        return true;
    }
}
