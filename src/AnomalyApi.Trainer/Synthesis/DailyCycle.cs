namespace AnomalyApi.Trainer.Synthesis;

internal static class DailyCycle
{
    private const double SecondsPerDay = 86_400;

    /// <summary>
    /// Load in [0, 1] for a unix time: 0 at midnight UTC, 1 at noon, a raised cosine in between, so the
    /// busy half-day is 06:00-18:00 UTC.
    /// </summary>
    public static double Load(long unixSeconds)
    {
        var secondOfDay = ((unixSeconds % (long)SecondsPerDay) + (long)SecondsPerDay) % (long)SecondsPerDay;
        return (1.0 - Math.Cos(2.0 * Math.PI * secondOfDay / SecondsPerDay)) / 2.0;
    }
}
