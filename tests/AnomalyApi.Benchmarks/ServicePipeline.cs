using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using AnomalyApi.Contracts;
using AnomalyApi.Contracts.Protobuf;
using AnomalyApi.Model;
using AnomalyApi.Scoring;
using AnomalyApi.Validation;
using FluentValidation;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Benchmarks;

/// <summary>
/// The service's own per-request objects, built as its container builds them (default options, the shipped model):
/// the model provider, the prediction service, the request gates (validators), and the JSON options responses are written with.
/// </summary>
internal sealed class ServicePipeline : IDisposable
{
    public ServicePipeline()
    {
        var modelOptions = Options.Create(new ModelOptions { OnnxPath = BenchmarkModel.OnnxPath, ConfigPath = BenchmarkModel.ConfigPath });
        Model = new ModelProvider(modelOptions, new HostingEnvironment { ContentRootPath = AppContext.BaseDirectory }, NullLogger<ModelProvider>.Instance);
        Model.Load();
        var scoring = Options.Create(new ScoringOptions());
        Predictions = new PredictionService(Model, new AnomalyLabeler(Model, Options.Create(new AdaptiveOptions())), scoring);
        PredictGate = new RequestGate<PredictRequest>(Model, new PredictRequestValidator(Model), NullLoggerFactory.Instance);
        BatchGate = new RequestGate<BatchPredictRequest>(Model, new BatchPredictRequestValidator(Model, scoring), NullLoggerFactory.Instance);
        // As AddAnomalyApi configures the HTTP JSON options that TypedResults.Ok writes with.
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        json.TypeInfoResolverChain.Insert(0, AnomalyJsonContext.Default);
        ResponseJson = json;
    }

    public ModelProvider Model { get; }

    public PredictionService Predictions { get; }

    /// <summary>The first step of /predict's handler: model ready, binding problem, validator.</summary>
    public RequestGate<PredictRequest> PredictGate { get; }

    public RequestGate<BatchPredictRequest> BatchGate { get; }

    public JsonSerializerOptions ResponseJson { get; }

    public HttpContext Context { get; } = new DefaultHttpContext();

    /// <summary>A /predict body: the row as an array of numbers, as JSON text.</summary>
    public byte[] SingleBody() =>
        JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["features"] = Row(Model.Scorer.TypicalRow()) });

    /// <summary>A /predict/batch body of <paramref name="rows"/> rows as arrays.</summary>
    public byte[] BatchBody(int rows)
    {
        var values = BenchmarkModel.MidRangeRows(Model.Scorer.Config, rows);
        var features = Model.Scorer.FeatureCount;
        var instances = new JsonArray();
        for (var row = 0; row < rows; row++)
        {
            instances.Add(Row(values.AsSpan(row * features, features).ToArray()));
        }
        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["instances"] = instances });
    }

    /// <summary>The same rows as <see cref="BatchBody"/>, as a protocol buffers BatchRequest.</summary>
    public byte[] BatchProtobufBody(int rows) => new BatchRequest
    {
        FeatureCount = (uint)Model.Scorer.FeatureCount,
        Values = { BenchmarkModel.MidRangeRows(Model.Scorer.Config, rows) },
    }.ToByteArray();

    /// <summary>Writes a response as the service does, into a reused buffer; returns the bytes written.</summary>
    public int Write<T>(T value, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(buffer);
        JsonSerializer.Serialize(writer, value, ResponseJson.GetTypeInfo(typeof(T)));
        return (int)writer.BytesCommitted + writer.BytesPending;
    }

    private static JsonArray Row(float[] values) => new([.. values.Select(v => JsonValue.Create(v))]);

    public void Dispose() => Model.Dispose();
}
