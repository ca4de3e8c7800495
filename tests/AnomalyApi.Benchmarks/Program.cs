using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/AnomalyApi.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
