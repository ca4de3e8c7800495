namespace AnomalyApi.Deployment.Tests.Infrastructure;

/// <summary>Bounded polling for things that become true on their own clock (a scrape, a process start).</summary>
internal static class Eventually
{
    /// <summary>
    /// Calls <paramref name="probe"/> until <paramref name="done"/> holds for its result, or fails the test after
    /// <paramref name="timeout"/> with <paramref name="describe"/> of the last result (or the last exception).
    /// </summary>
    public static async Task<T> Until<T>(
        Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, Func<T?, Exception?, string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        T? last = default;
        Exception? error = null;
        while (true)
        {
            try
            {
                last = await probe();
                error = null;
                if (done(last))
                {
                    return last;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                error = ex;
            }
            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"Gave up after {timeout.TotalSeconds} s: {describe(last, error)}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }
}
