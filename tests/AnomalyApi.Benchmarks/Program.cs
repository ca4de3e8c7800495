using AnomalyApi.Benchmarks.Load;
using AnomalyApi.Benchmarks.Memory;
using BenchmarkDotNet.Running;

namespace AnomalyApi.Benchmarks;

/// <summary>
/// BenchmarkDotNet by default; three subcommands besides:
/// <c>load</c> (wrk against the published service and the baseline app), <c>baseline</c> (the baseline app alone,
/// which <c>load</c> starts as a child process) and <c>ratchet</c> (RSS under random batch sizes, pooled or not).
/// </summary>
public static class BenchmarkProgram
{
    // dotnet run -c Release --project tests/AnomalyApi.Benchmarks -- --filter '*'
    // dotnet run -c Release --project tests/AnomalyApi.Benchmarks -- load [--duration 10s --connections 16 --rounds 3]
    // dotnet run -c Release --project tests/AnomalyApi.Benchmarks -- ratchet --variant unchunked
    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "load":
                return await LoadCommand.RunAsync(args[1..]);
            case "baseline":
                return await BaselineApp.RunAsync(args[1..]);
            case "ratchet":
                return RatchetCommand.Run(args[1..]);
            default:
                BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
                return 0;
        }
    }
}
