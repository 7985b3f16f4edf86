using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using P2P.Inference.Models;

namespace P2P.Bench.Inference;

/// <summary>Runs torch_baseline.py (python3-torch) on the same seeded weights, written to a temporary safetensors file.</summary>
internal static class TorchBaseline
{
    public sealed record Result(double Prefill, double Decode, double BatchDecode, string Version);

    public const string Python = "/usr/bin/python3";

    public static string? UnavailableReason()
    {
        if (!File.Exists(Python)) return "skipped: python3-torch not installed (no /usr/bin/python3)";
        var check = Process.Start(new ProcessStartInfo(Python, "-c \"import torch\"") { RedirectStandardError = true, UseShellExecute = false })!;
        check.WaitForExit();
        return check.ExitCode == 0 ? null : "skipped: python3-torch not installed";
    }

    public static Result Run(SeededModelSpec spec, int threads, int promptLength, int decodeLength, int batch)
    {
        string directory = Path.Combine(Path.GetTempPath(), "p2p-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var c = spec.Config;
            File.WriteAllText(Path.Combine(directory, "config.json"), JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["hidden_size"] = c.HiddenSize,
                ["intermediate_size"] = c.IntermediateSize,
                ["num_hidden_layers"] = c.NumLayers,
                ["num_attention_heads"] = c.NumHeads,
                ["num_key_value_heads"] = c.NumKvHeads,
                ["vocab_size"] = c.VocabSize,
                ["max_position_embeddings"] = c.MaxPositions,
                ["rms_norm_eps"] = c.RmsNormEps,
                ["rope_theta"] = c.RopeTheta,
            }));
            using (var source = new SeededTensorSource(spec.Seed))
                SafetensorsWriter.Write(Path.Combine(directory, "model.safetensors"), SafetensorsWriter.HuggingFaceTensors(c, source));
            string script = Path.Combine(AppContext.BaseDirectory, "torch_baseline.py");
            var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            // Same BLAS kernels as ours: Debian's OpenBLAS misdetects new CPUs (see OpenBlas.ChooseCoreType).
            if (P2P.Inference.Kernels.OpenBlas.CoreName is { } core && Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") is null)
                start.Environment["OPENBLAS_CORETYPE"] = core;
            foreach (var arg in new object[] { script, directory, threads, promptLength, decodeLength, batch })
                start.ArgumentList.Add(Convert.ToString(arg, CultureInfo.InvariantCulture)!);
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"torch baseline failed: {stderr.Result}");
            using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
            var r = json.RootElement;
            return new Result(r.GetProperty("prefill_tokens_per_second").GetDouble(), r.GetProperty("decode_tokens_per_second").GetDouble(),
                r.GetProperty("batch_decode_tokens_per_second").GetDouble(), r.GetProperty("torch").GetString() ?? "?");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
