using AnomalyApi.Benchmarks.Memory;

namespace AnomalyApi.Benchmarks.Load;

/// <summary>Samples a process's VmRSS every 250 ms until disposed, keeping the peak.</summary>
public sealed class RssSampler : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peak;

    public RssSampler(int pid) => _loop = Task.Run(async () =>
    {
        while (!_stop.IsCancellationRequested)
        {
            if (ProcessMemory.Read(pid) is { } memory)
            {
                Interlocked.Exchange(ref _peak, Math.Max(Interlocked.Read(ref _peak), memory.Rss));
            }
            try
            {
                await Task.Delay(250, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    });

    public long Peak => Interlocked.Read(ref _peak);

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait();
        _stop.Dispose();
    }
}
