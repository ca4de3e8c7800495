using System.Text.Json.Nodes;
using AnomalyApi.Core.Onnx.Proto;
using AnomalyApi.Core.Scoring;
using Google.Protobuf;

namespace AnomalyApi.Core.Tests.Scoring;

/// <summary>Each way an ONNX file and its config can disagree fails to load with one message naming file, key and problem.</summary>
public class AnomalyScorerLoadTests
{
    private static ModelLoadException LoadFails(string directory) =>
        Assert.Throws<ModelLoadException>(() => AnomalyScorer.Load(Path.Combine(directory, "autoencoder.onnx"), Path.Combine(directory, "model_config.json")));

    private static void EditConfig(string directory, Action<JsonObject> edit)
    {
        var path = Path.Combine(directory, "model_config.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
    }

    [Fact]
    public void Load_ConfigNamingAnotherInput_NamesInputNameAndTheModelsInputs()
    {
        var directory = ShippedModel.CopyToTemp();
        EditConfig(directory, json => json["input_name"] = "input");

        var error = LoadFails(directory);

        Assert.Equal("input_name", error.Key);
        Assert.Equal(Path.Combine(directory, "autoencoder.onnx"), error.File);
        Assert.Contains("the config names input 'input', but the ONNX model's inputs are [x]", error.Message);
    }

    [Fact]
    public void Load_ConfigNamingAnotherOutput_NamesOutputName()
    {
        var directory = ShippedModel.CopyToTemp();
        EditConfig(directory, json => json["output_name"] = "recon");

        Assert.Equal("output_name", LoadFails(directory).Key);
    }

    [Fact]
    public void Load_ConfigWithFewerFeaturesThanTheModel_SaysBothWidths()
    {
        var directory = ShippedModel.CopyToTemp();
        EditConfig(directory, json =>
        {
            json["features"]!.AsArray().RemoveAt(37);
            json["normalization"]!["min"]!.AsArray().RemoveAt(37);
            json["normalization"]!["max"]!.AsArray().RemoveAt(37);
        });

        var error = LoadFails(directory);

        Assert.Equal("input_name", error.Key);
        Assert.Contains("has last dimension 38, but the config lists 37 features", error.Message);
    }

    [Fact]
    public void Load_ModelWithDoubleTensors_RejectsTheElementType()
    {
        var directory = ShippedModel.CopyToTemp();
        var path = Path.Combine(directory, "autoencoder.onnx");
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        // A consistent float64 model: every tensor, weight and value converted, so ONNX Runtime loads it.
        foreach (var value in model.Graph.Input.Concat(model.Graph.Output))
        {
            value.Type.TensorType.ElemType = (int)TensorProto.Types.DataType.Double;
        }
        foreach (var initializer in model.Graph.Initializer)
        {
            var floats = new float[initializer.RawData.Length / 4];
            Buffer.BlockCopy(initializer.RawData.ToByteArray(), 0, floats, 0, initializer.RawData.Length);
            var doubles = floats.Select(f => (double)f).ToArray();
            var bytes = new byte[doubles.Length * 8];
            Buffer.BlockCopy(doubles, 0, bytes, 0, bytes.Length);
            initializer.DataType = (int)TensorProto.Types.DataType.Double;
            initializer.RawData = ByteString.CopyFrom(bytes);
        }
        File.WriteAllBytes(path, model.ToByteArray());

        var error = LoadFails(directory);

        Assert.Equal("input_name", error.Key);
        Assert.Contains("has element type Double, but float32 is required", error.Message);
    }

    [Fact]
    public void Load_CorruptOnnxFile_SaysOnnxRuntimeCannotLoadIt()
    {
        var directory = ShippedModel.CopyToTemp();
        File.WriteAllBytes(Path.Combine(directory, "autoencoder.onnx"), "not an onnx model"u8.ToArray());

        var error = LoadFails(directory);

        Assert.Equal("(onnx)", error.Key);
        Assert.StartsWith($"{Path.Combine(directory, "autoencoder.onnx")}: '(onnx)': is not a model ONNX Runtime can load", error.Message);
    }

    [Fact]
    public void Load_MissingOnnxFile_NamesThePath()
    {
        var directory = ShippedModel.CopyToTemp();
        File.Delete(Path.Combine(directory, "autoencoder.onnx"));

        var error = LoadFails(directory);

        Assert.Equal("(file)", error.Key);
        Assert.Contains("cannot be read", error.Message);
    }

    [Fact]
    public void Load_BadConfig_FailsBeforeTouchingTheOnnxFile()
    {
        var directory = ShippedModel.CopyToTemp();
        EditConfig(directory, json => json.Remove("threshold"));
        File.Delete(Path.Combine(directory, "autoencoder.onnx"));

        var error = LoadFails(directory);

        Assert.Equal(Path.Combine(directory, "model_config.json"), error.File);
        Assert.Equal("threshold", error.Key);
    }
}
