using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using P2P.Inference.Models;

namespace P2P.InferenceNetwork.Serving;

/// <summary>
/// The network name of a model: hex SHA-256 of its canonical config and the hash of all its weights
/// (<see cref="TransformerWeights.ComputeHash"/>), so two nodes serving any layers of the same model agree on it.
/// </summary>
public static class ModelIdentity
{
    public static string Compute(ModelConfig config, byte[] weightsHash)
    {
        var canonical = JsonSerializer.Serialize(new
        {
            config.HiddenSize,
            config.IntermediateSize,
            config.NumLayers,
            config.NumHeads,
            config.NumKvHeads,
            config.VocabSize,
            config.MaxPositions,
            config.RmsNormEps,
            config.RopeTheta,
            config.TieWordEmbeddings,
            config.HeadDim,
        });
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes("p2pd-model/1\n" + canonical + "\n"));
        sha.AppendData(weightsHash);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>Loads the whole model once to hash it (a span server must name the model it holds part of).</summary>
    public static string ForSpec(string modelSpec)
    {
        var config = ModelLoader.LoadConfig(modelSpec);
        using var weights = ModelLoader.Load(modelSpec);
        return Compute(config, weights.ComputeHash());
    }
}
