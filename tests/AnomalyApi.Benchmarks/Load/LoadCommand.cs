using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AnomalyApi.Benchmarks.Memory;
using AnomalyApi.Contracts.Protobuf;
using AnomalyApi.Core.Scoring;
using AnomalyApi.Hosting;
using Google.Protobuf;

namespace AnomalyApi.Benchmarks.Load;

/// <summary>
/// <c>load</c>: wrk on loopback against the published service and, in the same run, the baseline app (the ceiling:
/// Kestrel with the same bytes and no model). Alternating rounds of /predict (single rows), /predict/batch
/// (<see cref="LoadOptions.BatchRows"/> rows, as JSON and as protobuf) and the baseline (single rows and JSON
/// batches), each after a warm-up, at one connection count; then the service's RSS under sustained load and its cold start to /health/ready.
/// Prints one markdown table with medians across rounds and the ratios to the baseline.
/// </summary>
public static class LoadCommand
{
    private const string Predict = "/predict";
    private const string Batch = "/predict/batch";
    private const string BatchProtobuf = "/predict/batch protobuf";
    private const string Baseline = "baseline /predict";
    private const string BaselineBatch = "baseline /predict/batch";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = LoadOptions.Parse(args);
        var serviceDir = options.ServiceDir ?? Publish();
        var serviceDll = Path.Combine(serviceDir, "AnomalyApi.dll");
        var environment = RuntimeEnvironment(serviceDir, options.Gc, options.InlineIo);
        int? serverCpu = options.Pin ? 0 : null, wrkCpu = options.Pin ? 1 : null;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var work = Directory.CreateTempSubdirectory("anomaly-load-").FullName;

        Console.WriteLine($"# load: {Environment.ProcessorCount} CPUs, load average {LoadAverage()}, {options.Connections} connections, " +
            $"wrk -t1, {options.Duration.TotalSeconds:0} s per measurement after {options.Warmup.TotalSeconds:0} s warm-up, {options.Rounds} rounds, " +
            $"pinned: {(options.Pin ? "servers CPU 0, wrk CPU 1" : "no")}, runtime env: {string.Join(' ', environment.Select(e => $"{e.Key}={e.Value}"))}");

        var coldStarts = new List<double>();
        for (var i = 0; i < options.ColdStarts; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var cold = ServerProcess.Start(serviceDll, [], environment, serverCpu);
            coldStarts.Add((await cold.WaitForOkAsync(http, "/health/ready", started, TimeSpan.FromSeconds(60))).TotalMilliseconds);
        }
        if (coldStarts.Count > 0)
        {
            Console.WriteLine($"cold start to /health/ready (ms): {string.Join(", ", coldStarts.Select(Ms))}; median {Ms(Median(coldStarts))}");
        }

        using var service = ServerProcess.Start(serviceDll, [], environment, serverCpu);
        await service.WaitForOkAsync(http, "/health/ready", Stopwatch.GetTimestamp(), TimeSpan.FromSeconds(60));
        Console.WriteLine($"service pid {service.Pid} at {service.BaseUrl}, RSS when ready {Mb(ProcessMemory.Read(service.Pid)?.Rss)} MB");

        // Bodies: a row the model finds normal, and a batch of rows spread over the training ranges.
        using var scorer = AnomalyScorer.Load(Path.Combine(serviceDir, "models", "autoencoder.onnx"), Path.Combine(serviceDir, "models", "model_config.json"));
        var singleBody = Path.Combine(work, "single.json");
        File.WriteAllText(singleBody, new JsonObject { ["features"] = ToJson(scorer.TypicalRow()) }.ToJsonString());
        var batchBody = Path.Combine(work, "batch.json");
        var batchRows = BenchmarkModel.MidRangeRows(scorer.Config, options.BatchRows);
        var instances = new JsonArray();
        for (var row = 0; row < options.BatchRows; row++)
        {
            instances.Add(ToJson(batchRows.AsSpan(row * scorer.FeatureCount, scorer.FeatureCount).ToArray()));
        }
        File.WriteAllText(batchBody, new JsonObject { ["instances"] = instances }.ToJsonString());
        // The same rows as a protocol buffers BatchRequest (wrk-report.lua sends a .pb file as application/x-protobuf).
        var batchProtobufBody = Path.Combine(work, "batch.pb");
        File.WriteAllBytes(batchProtobufBody, new BatchRequest { FeatureCount = (uint)scorer.FeatureCount, Values = { batchRows } }.ToByteArray());

        // The baseline answers with a real /predict response's fields and size: capture one.
        var template = Path.Combine(work, "predict-response.json");
        var serviceResponse = await PostAsync(http, service.BaseUrl + Predict, singleBody);
        File.WriteAllBytes(template, serviceResponse);
        var batchTemplate = Path.Combine(work, "predict-batch-response.json");
        var serviceBatchResponse = await PostAsync(http, service.BaseUrl + Batch, batchBody);
        File.WriteAllBytes(batchTemplate, serviceBatchResponse);
        using var baseline = ServerProcess.Start(typeof(BaselineApp).Assembly.Location,
            ["baseline", "--template", template, "--batch-template", batchTemplate], environment, serverCpu);
        await baseline.WaitForOkAsync(http, "/health/ready", Stopwatch.GetTimestamp(), TimeSpan.FromSeconds(60));
        var baselineResponse = await PostAsync(http, baseline.BaseUrl + Predict, singleBody);
        var baselineBatchResponse = await PostAsync(http, baseline.BaseUrl + Batch, batchBody);
        Console.WriteLine($"request bodies: single {new FileInfo(singleBody).Length} B, batch {new FileInfo(batchBody).Length} B, " +
            $"protobuf batch {new FileInfo(batchProtobufBody).Length} B; " +
            $"responses: service {serviceResponse.Length} B, baseline {baselineResponse.Length} B; " +
            $"batch responses: service {serviceBatchResponse.Length} B, baseline {baselineBatchResponse.Length} B");

        var targets = new (string Name, ServerProcess Server, string Path, string Body, int Rows)[]
        {
            (Predict, service, Predict, singleBody, 1),
            (Batch, service, Batch, batchBody, options.BatchRows),
            (BatchProtobuf, service, Batch, batchProtobufBody, options.BatchRows),
            (Baseline, baseline, Predict, singleBody, 1),
            (BaselineBatch, baseline, Batch, batchBody, options.BatchRows),
        };
        // Steady state, as a service that has been up for a while: Prometheus has scraped /metrics (the first scrape
        // starts whatever prometheus-net starts on it), and every target has run long enough for the tiered JIT to
        // finish recompiling its hot paths with PGO. With only the per-measurement warm-up, the service's first round
        // ran partly on unoptimised code (19.3k req/s, then 25.7k in round 2) while the smaller baseline had settled.
        await http.GetAsync(service.BaseUrl + "/metrics");
        if (options.Settle > TimeSpan.Zero)
        {
            foreach (var target in targets)
            {
                await Wrk.RunAsync(target.Server.BaseUrl, [(target.Path, target.Body)], options.Connections, options.Settle, wrkCpu);
            }
            Console.WriteLine($"settled: each target ran {options.Settle.TotalSeconds:0} s before the first measured round");
        }

        // Each service target runs right next to the baseline it is compared with, and every other round runs the
        // list backwards: a ratio's two sides are seconds apart, and a drift in the shared VM's speed during a run
        // favours neither side (in the old order, /predict and its baseline ran 40 s apart, always in the same order).
        string[] schedule = [Predict, Baseline, Batch, BaselineBatch, BatchProtobuf];
        var scheduled = schedule.Select(name => targets.Single(t => t.Name == name)).ToArray();
        var results = targets.ToDictionary(t => t.Name, _ => new List<WrkResult>());
        var peakRss = 0L;
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var target in round % 2 == 1 ? scheduled : scheduled.Reverse())
            {
                IReadOnlyList<(string, string)> request = [(target.Path, target.Body)];
                await Wrk.RunAsync(target.Server.BaseUrl, request, options.Connections, options.Warmup, wrkCpu);
                using var sampler = target.Server == service ? new RssSampler(service.Pid) : null;
                var result = await Wrk.RunAsync(target.Server.BaseUrl, request, options.Connections, options.Duration, wrkCpu);
                peakRss = Math.Max(peakRss, sampler?.Peak ?? 0);
                results[target.Name].Add(result);
                Console.WriteLine($"round {round} {target.Name,-18} {result.RequestsPerSecond,9:F0} req/s  p50 {result.P50Ms,7:F2} ms  p99 {result.P99Ms,7:F2} ms  " +
                    $"non-2xx {result.Non2xx}  socket errors {result.SocketErrors}");
            }
        }

        string? sustained = null;
        if (options.Sustain > TimeSpan.Zero)
        {
            // Single rows and both kinds of batch in turn, the mix real clients send, for the whole sustained period.
            using var sampler = new RssSampler(service.Pid);
            var result = await Wrk.RunAsync(service.BaseUrl, [(Predict, singleBody), (Batch, batchBody), (Batch, batchProtobufBody)],
                options.Connections, options.Sustain, wrkCpu);
            var during = sampler.Peak;
            await Task.Delay(TimeSpan.FromSeconds(5));
            var after = ProcessMemory.Read(service.Pid);
            sustained = $"RSS under {options.Sustain.TotalSeconds:0} s of sustained load ({result.RequestsPerSecond:F0} req/s, single rows, " +
                $"{options.BatchRows}-row JSON and protobuf batches in turn, non-2xx {result.Non2xx}): peak sampled VmRSS {Mb(during)} MB, VmHWM {Mb(after?.Peak)} MB, " +
                $"VmRSS 5 s after {Mb(after?.Rss)} MB";
            peakRss = Math.Max(peakRss, Math.Max(during, after?.Peak ?? 0));
            Console.WriteLine(sustained);
        }

        var report = LoadReport.Render(results, targets.Select(t => (t.Name, t.Rows)).ToList(), Predict, [Batch, BatchProtobuf], Baseline, BaselineBatch, options,
            coldStarts, peakRss, sustained, environment);
        Console.WriteLine();
        Console.WriteLine(report);
        if (options.Out is { } file)
        {
            File.WriteAllText(file, report);
        }
        if (service.HasExited)
        {
            Console.Error.WriteLine("the service exited during the run");
            return 1;
        }
        return 0;
    }

    /// <summary>Publishes src/AnomalyApi in Release to a temp folder (build output outside the repository).</summary>
    private static string Publish()
    {
        var repo = RepositoryRoot();
        var output = Path.Combine(Path.GetTempPath(), "anomaly-load-publish");
        var artifacts = Path.Combine(Path.GetTempPath(), "anomaly-load-artifacts");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = repo };
        foreach (var arg in new[] { "publish", Path.Combine(repo, "src", "AnomalyApi", "AnomalyApi.csproj"), "-c", "Release", "-o", output, "--artifacts-path", artifacts, "-v", "q", "-nologo" })
        {
            start.ArgumentList.Add(arg);
        }
        Console.WriteLine($"publishing src/AnomalyApi (Release) to {output} ...");
        using var process = Process.Start(start)!;
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed with exit code {process.ExitCode}");
        }
        return output;
    }

    private static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "AnomalyApi.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new InvalidOperationException("AnomalyApi.sln not found above the current or the app directory: pass --service-dir");
    }

    /// <summary>
    /// The GC mode both apps run with: the service's own (its runtimeconfig.json; the Web SDK turns Server GC on) unless
    /// --gc says otherwise, given to both as DOTNET_gcServer so the baseline cannot win by a different GC.
    /// </summary>
    private static Dictionary<string, string> RuntimeEnvironment(string serviceDir, string? gc, bool inlineIo)
    {
        var runtimeConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(serviceDir, "AnomalyApi.runtimeconfig.json")));
        var server = gc is null
            ? runtimeConfig?["runtimeOptions"]?["configProperties"]?["System.GC.Server"]?.GetValue<bool>() ?? false
            : gc == "server";
        return new Dictionary<string, string>
        {
            ["DOTNET_gcServer"] = server ? "1" : "0",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
            // Both apps alike: the baseline is the ceiling for the same transport, not for a slower one.
            [InlineIo.EnvironmentVariable] = inlineIo ? "1" : "0",
        };
    }

    private static async Task<byte[]> PostAsync(HttpClient http, string url, string bodyFile)
    {
        using var content = new ByteArrayContent(File.ReadAllBytes(bodyFile));
        content.Headers.ContentType = new("application/json");
        using var response = await http.PostAsync(url, content);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
        }
        return body;
    }

    private static JsonArray ToJson(float[] values) => new([.. values.Select(v => JsonValue.Create(v))]);

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    internal static string Ms(double value) => value.ToString("F0", CultureInfo.InvariantCulture);

    internal static string Mb(long? bytes) => bytes is { } b ? ProcessMemory.Megabytes(b).ToString("F1", CultureInfo.InvariantCulture) : "?";

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
