namespace AnomalyApi.Trainer.Synthesis;

/// <summary>
/// Places anomaly episodes: about <see cref="LabelledFraction"/> of the rows, in episodes of
/// <see cref="MinLength"/> to <see cref="MaxLength"/> rows, one per equal slot of the series so they are
/// spread out, with at least one normal row on either side so no two episodes merge into one segment.
/// </summary>
internal static class EpisodePlanner
{
    public const double LabelledFraction = 0.075;
    public const int MinLength = 10;
    public const int MaxLength = 60;

    public static IReadOnlyList<AnomalyEpisode> Plan(int rows, Random random)
    {
        // Lengths first: the last episode is cut to what is left of the budget and dropped when that is
        // shorter than MinLength, so the labelled rows end within MinLength of the target.
        var lengths = new List<int>();
        var remaining = (int)Math.Round(rows * LabelledFraction);
        while (remaining >= MinLength)
        {
            var length = Math.Min(random.Next(MinLength, MaxLength + 1), remaining);
            lengths.Add(length);
            remaining -= length;
        }

        // Cycle through the kinds in a seeded order, so four or more episodes show every kind.
        var kinds = Enum.GetValues<AnomalyKind>();
        random.Shuffle(kinds);

        var episodes = new List<AnomalyEpisode>(lengths.Count);
        var slot = rows / Math.Max(1, lengths.Count);
        for (var i = 0; i < lengths.Count; i++)
        {
            // One free row before and after the episode inside its slot.
            var start = i * slot + 1 + random.Next(0, slot - lengths[i] - 1);
            episodes.Add(new AnomalyEpisode(kinds[i % kinds.Length], start, lengths[i]));
        }
        return episodes;
    }
}
