using System.Globalization;

namespace AnomalyApi.Benchmarks.Load;

/// <summary>
/// <c>load</c>'s options: <c>--service-dir DIR</c> (a published service; default: publish src/AnomalyApi in Release),
/// <c>--duration 5s</c> and <c>--warmup 2s</c> per measurement, <c>--settle 20s</c> per target once before the first
/// round (0 skips), <c>--connections 16</c>, <c>--rounds 6</c>,
/// <c>--sustain 60s</c> (0 skips the RSS run), <c>--cold-starts 5</c> (0 skips), <c>--pin</c> (servers on CPU 0,
/// wrk on CPU 1), <c>--gc server|workstation</c> (both apps; default: the service's own setting),
/// <c>--inline-io on|off</c> (both apps; default on, as the Dockerfile runs the service: see InlineIo),
/// <c>--batch-rows 256</c>, <c>--out FILE</c> (the markdown table, too).
/// </summary>
public sealed record LoadOptions
{
    public string? ServiceDir { get; init; }
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(20);
    public int Connections { get; init; } = 16;
    public int Rounds { get; init; } = 6;
    public TimeSpan Sustain { get; init; } = TimeSpan.FromSeconds(60);
    public int ColdStarts { get; init; } = 5;
    public bool Pin { get; init; }
    public string? Gc { get; init; }
    public bool InlineIo { get; init; } = true;
    public string? Out { get; init; }
    public int BatchRows { get; init; } = 256;

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--service-dir" => options with { ServiceDir = Path.GetFullPath(Value()) },
                "--duration" => options with { Duration = Seconds(Value()) },
                "--warmup" => options with { Warmup = Seconds(Value()) },
                "--settle" => options with { Settle = Seconds(Value()) },
                "--connections" => options with { Connections = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--rounds" => options with { Rounds = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--sustain" => options with { Sustain = Seconds(Value()) },
                "--cold-starts" => options with { ColdStarts = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--batch-rows" => options with { BatchRows = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--pin" => options with { Pin = true },
                "--gc" => options with { Gc = Value() is "server" or "workstation" ? args[i] : throw new ArgumentException("--gc: server or workstation") },
                "--inline-io" => options with { InlineIo = Value() switch { "on" => true, "off" => false, _ => throw new ArgumentException("--inline-io: on or off") } },
                "--out" => options with { Out = Path.GetFullPath(Value()) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return options;
    }

    /// <summary>"10s", "500ms", "2m" or plain seconds.</summary>
    private static TimeSpan Seconds(string text) => text switch
    {
        _ when text.EndsWith("ms", StringComparison.Ordinal) => TimeSpan.FromMilliseconds(double.Parse(text[..^2], CultureInfo.InvariantCulture)),
        _ when text.EndsWith('s') => TimeSpan.FromSeconds(double.Parse(text[..^1], CultureInfo.InvariantCulture)),
        _ when text.EndsWith('m') => TimeSpan.FromMinutes(double.Parse(text[..^1], CultureInfo.InvariantCulture)),
        _ => TimeSpan.FromSeconds(double.Parse(text, CultureInfo.InvariantCulture)),
    };
}
