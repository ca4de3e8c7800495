namespace AnomalyApi.Trainer.Synthesis;

/// <summary>
/// The parameters of one episode (which CPUs, how strong) and what it imposes row by row. Draws come from
/// the episode stream, never the baseline one.
/// </summary>
internal sealed class EpisodeEffect
{
    private readonly AnomalyEpisode _episode;
    private readonly bool[] _affectedCpus;
    private readonly double _level;

    private EpisodeEffect(AnomalyEpisode episode, bool[] affectedCpus, double level)
    {
        _episode = episode;
        _affectedCpus = affectedCpus;
        _level = level;
    }

    public static EpisodeEffect Create(AnomalyEpisode episode, int cpus, Random random)
    {
        var affected = new bool[cpus];
        if (episode.Kind == AnomalyKind.CpuSaturation)
        {
            // "Some or all": a runaway process set pins at least half of the CPUs.
            var order = Enumerable.Range(0, cpus).ToArray();
            random.Shuffle(order);
            var count = random.Next((cpus + 1) / 2, cpus + 1);
            foreach (var cpu in order.Take(count))
            {
                affected[cpu] = true;
            }
        }
        else
        {
            Array.Fill(affected, true);
        }

        var level = episode.Kind switch
        {
            AnomalyKind.CpuSaturation => 0.95,
            AnomalyKind.IowaitStorm => random.NextDouble(0.3, 0.6),
            AnomalyKind.MemoryLeak => random.NextDouble(0.25, 0.40),
            AnomalyKind.StealSpike => random.NextDouble(0.2, 0.5),
            _ => throw new ArgumentOutOfRangeException(nameof(episode), episode.Kind, "Unknown anomaly kind."),
        };
        return new EpisodeEffect(episode, affected, level);
    }

    public CpuDisturbance Cpu(int cpu, Random random)
    {
        if (!_affectedCpus[cpu])
        {
            return CpuDisturbance.None;
        }
        // Jitter around the episode's level, kept inside the documented band.
        var jitter = 0.02 * random.NextGaussian();
        return _episode.Kind switch
        {
            AnomalyKind.CpuSaturation => new CpuDisturbance(Math.Clamp(_level + jitter / 2, 0.92, 0.97), 0, 0),
            AnomalyKind.IowaitStorm => new CpuDisturbance(null, Math.Clamp(_level + jitter, 0.3, 0.6), 0),
            AnomalyKind.StealSpike => new CpuDisturbance(null, 0, Math.Clamp(_level + jitter, 0.2, 0.5)),
            _ => CpuDisturbance.None,
        };
    }

    public MemoryDisturbance Memory(int row)
    {
        if (_episode.Kind != AnomalyKind.MemoryLeak)
        {
            return MemoryDisturbance.None;
        }
        // Linear growth to the full leak on the last row; the kernel gives up to 60% of the cache meanwhile.
        var progress = (row - _episode.StartRow + 1) / (double)_episode.Length;
        return new MemoryDisturbance(_level * progress, 1 - 0.6 * progress);
    }
}
