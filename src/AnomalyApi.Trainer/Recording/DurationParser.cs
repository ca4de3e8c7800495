using System.Globalization;

namespace AnomalyApi.Trainer.Recording;

/// <summary>Parses the durations <c>record</c> takes: <c>500ms</c>, <c>15s</c>, <c>2m</c>, <c>2h</c>, <c>1h30m</c>, <c>1d</c>, or a TimeSpan such as <c>00:00:15</c>.</summary>
public static class DurationParser
{
    /// <summary>Parses <paramref name="text"/>; false (and a reason) for junk, zero or a negative duration.</summary>
    public static bool TryParse(string? text, out TimeSpan duration, out string error)
    {
        duration = TimeSpan.Zero;
        text = text?.Trim() ?? "";
        if (text.Length == 0)
        {
            error = "a duration is required, e.g. 15s, 500ms, 2m, 2h or 1h30m";
            return false;
        }
        if (text.Contains(':') && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration))
        {
            return Positive(text, duration, out error);
        }

        var position = 0;
        var total = 0.0;
        while (position < text.Length)
        {
            var start = position;
            while (position < text.Length && (char.IsAsciiDigit(text[position]) || text[position] == '.'))
            {
                position++;
            }
            var unitStart = position;
            while (position < text.Length && char.IsAsciiLetter(text[position]))
            {
                position++;
            }
            if (unitStart == start || !double.TryParse(text.AsSpan(start, unitStart - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                error = $"'{text}' is not a duration: expected a number then a unit (ms, s, m, h, d), e.g. 15s or 1h30m";
                return false;
            }
            double? milliseconds = text[unitStart..position].ToLowerInvariant() switch
            {
                "ms" => 1,
                "s" => 1_000,
                "m" => 60_000,
                "h" => 3_600_000,
                "d" => 86_400_000,
                _ => null,
            };
            if (milliseconds is null)
            {
                error = $"'{text}' is not a duration: unit '{text[unitStart..position]}' is not one of ms, s, m, h, d";
                return false;
            }
            total += amount * milliseconds.Value;
        }
        if (total > TimeSpan.MaxValue.TotalMilliseconds)
        {
            error = $"'{text}' is too long";
            return false;
        }
        duration = TimeSpan.FromMilliseconds(total);
        return Positive(text, duration, out error);
    }

    private static bool Positive(string text, TimeSpan duration, out string error)
    {
        error = duration > TimeSpan.Zero ? "" : $"'{text}' must be longer than zero";
        return duration > TimeSpan.Zero;
    }
}
