using System.Buffers;
using System.Text.Json;
using AnomalyApi.Contracts;
using AnomalyApi.Contracts.Json;
using AnomalyApi.Contracts.Protobuf;
using AnomalyApi.Endpoints;
using AnomalyApi.Http;
using AnomalyApi.Scoring;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AnomalyApi.Benchmarks;

/// <summary>
/// Where a /predict request's time goes inside the service, stage by stage, with the service's own code: parse the
/// body (the one-pass reader valid bodies take, and the source-generated strict reading), validate it, the handler (score, label, metrics), write the
/// response JSON; and all four in a row. HTTP and Kestrel are not in these numbers (the load benchmark has them).
/// </summary>
[MemoryDiagnoser]
public class PredictStagesBenchmarks
{
    private ServicePipeline _pipeline = null!;
    private byte[] _body = null!;
    private PredictRequest _request = null!;
    private PredictionJsonResult _result = null!;
    private readonly ArrayBufferWriter<byte> _output = new(16 * 1024);

    [GlobalSetup]
    public void Setup()
    {
        _pipeline = new ServicePipeline();
        _body = _pipeline.SingleBody();
        _request = Parse();
        _result = Handle(_request);
    }

    [GlobalCleanup]
    public void Cleanup() => _pipeline.Dispose();

    /// <summary>The strict reading: what a body with a problem, or in another form than features, gets.</summary>
    [Benchmark]
    public PredictRequest Parse() => JsonSerializer.Deserialize(_body, RequestJson.PredictRequest)!;

    /// <summary>The one-pass reader a valid <c>{"features":[...]}</c> body takes.</summary>
    [Benchmark]
    public PredictRequest ParseFast() => new(ReadFast(), null, null);

    [Benchmark]
    public bool Validate() => _pipeline.PredictGate.Check(_pipeline.Context, _request) is null;

    /// <summary>The endpoint's handler: its request gate (model ready, validator), then score, label, record metrics.</summary>
    [Benchmark]
    public PredictionJsonResult Handler() => Handle(_request);

    /// <summary>The response body, as <see cref="PredictionJsonResult"/> writes it.</summary>
    [Benchmark]
    public int Write() => Write(_result);

    [Benchmark]
    public int AllStages()
    {
        // The handler validates (its gate), as the service's does.
        return Write(Handle(new PredictRequest(ReadFast(), null, null)));
    }

    private float[] ReadFast() =>
        PredictRowReader.TryRead(_body, _pipeline.Model.Scorer.FeatureCount, 16) ?? throw new InvalidOperationException("the benchmark row needs the strict reading");

    private int Write(PredictionJsonResult result)
    {
        _output.ResetWrittenCount();
        result.Write(_output);
        return _output.WrittenCount;
    }

    private PredictionJsonResult Handle(PredictRequest request) =>
        (PredictionJsonResult)PredictEndpoints.Predict(request, _pipeline.Context, _pipeline.PredictGate, _pipeline.Predictions, _pipeline.Model).Result;
}

/// <summary>
/// The same stages for a /predict/batch request of 256 rows (one ONNX run). Parse is the strict reading (what a body
/// with a problem gets), ParseFast the one-pass reader valid bodies take; AllStages runs what the service runs.
/// </summary>
[MemoryDiagnoser]
public class BatchStagesBenchmarks
{
    private ServicePipeline _pipeline = null!;
    private byte[] _body = null!;
    private BatchPredictRequest _request = null!;
    private BatchJsonResult _response = null!;
    private byte[] _protobufBody = null!;
    private readonly ArrayBufferWriter<byte> _output = new(1024 * 1024);

    [Params(256)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pipeline = new ServicePipeline();
        _body = _pipeline.BatchBody(Rows);
        _protobufBody = _pipeline.BatchProtobufBody(Rows);
        _request = Parse();
        _response = Handle(_request);
    }

    [GlobalCleanup]
    public void Cleanup() => _pipeline.Dispose();

    [Benchmark]
    public BatchPredictRequest Parse() => JsonSerializer.Deserialize(_body, RequestJson.BatchPredictRequest)!;

    [Benchmark]
    public int ParseFast()
    {
        using var matrix = ReadFast();
        return matrix.Rows;
    }

    [Benchmark]
    public bool Validate() => _pipeline.BatchGate.Check(_pipeline.Context, _request) is null;

    [Benchmark]
    public BatchJsonResult Handler() => Handle(_request);

    [Benchmark]
    public int Write()
    {
        _output.ResetWrittenCount();
        _response.Write(_output);
        return _output.WrittenCount;
    }

    /// <summary>The same rows as a protobuf BatchRequest: what the text costs is the difference to ParseFast.</summary>
    [Benchmark]
    public int ParseProtobuf()
    {
        var (matrix, problem) = BatchProtobufReader.Read(_protobufBody, _pipeline.Model.Scorer.Config.Features, 4096);
        using var read = matrix ?? throw new InvalidOperationException($"the benchmark batch was refused: {problem}");
        return read.Rows;
    }

    /// <summary>The same response as a protobuf BatchResponse: what the text costs is the difference to Write.</summary>
    [Benchmark]
    public int WriteProtobuf()
    {
        var (buffer, length) = BatchProtobufWriter.Write(_response.Batch, _pipeline.Model.Scorer.Config.Features, _pipeline.Predictions.TopFeatures);
        ArrayPool<byte>.Shared.Return(buffer);
        return length;
    }

    [Benchmark]
    public int AllStages()
    {
        using var matrix = ReadFast();
        var request = new BatchPredictRequest((IReadOnlyList<FeatureRow>?)null) { Matrix = matrix };
        _output.ResetWrittenCount();  // the handler validates (its gate), as the service's does
        Handle(request).Write(_output);
        return _output.WrittenCount;
    }

    private FeatureMatrix ReadFast() =>
        BatchRowsReader.TryRead(_body, _pipeline.Model.Scorer.Config.Features, 4096, 16)
        ?? throw new InvalidOperationException("the benchmark batch did not take the fast path");

    private BatchJsonResult Handle(BatchPredictRequest request) =>
        (BatchJsonResult)PredictEndpoints.PredictBatch(request, _pipeline.Context, _pipeline.BatchGate, _pipeline.Predictions, _pipeline.Model).Result;
}
