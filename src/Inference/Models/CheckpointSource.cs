using System.Numerics.Tensors;
using System.Text.Json;

namespace P2P.Inference.Models;

/// <summary>
/// Tensors of a Hugging Face checkpoint directory: model.safetensors, or the shards listed in
/// model.safetensors.index.json. Files are memory-mapped and opened only when one of their tensors is needed.
/// </summary>
public sealed unsafe class CheckpointSource : ITensorSource
{
    private readonly string _directory;
    private readonly Dictionary<string, string> _fileOfTensor = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SafetensorsFile> _open = new(StringComparer.Ordinal);

    public CheckpointSource(string directory)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors data is little-endian; big-endian hosts are not supported");
        _directory = directory;
        string single = Path.Combine(directory, "model.safetensors");
        string index = Path.Combine(directory, "model.safetensors.index.json");
        if (File.Exists(index))
        {
            ReadIndex(index);
        }
        else if (File.Exists(single))
        {
            var file = SafetensorsFile.Open(single);
            _open["model.safetensors"] = file;
            foreach (var name in file.Tensors.Keys) _fileOfTensor[name] = "model.safetensors";
        }
        else
        {
            throw new ModelFormatException($"{directory}: neither model.safetensors nor model.safetensors.index.json exists");
        }
    }

    public string Description => $"checkpoint {_directory}";

    private void ReadIndex(string indexPath)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(indexPath));
            if (!document.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new ModelFormatException($"{indexPath}: no weight_map object");
            foreach (var entry in map.EnumerateObject())
            {
                string file = entry.Value.GetString() ?? throw new ModelFormatException($"{indexPath}: weight_map entry '{entry.Name}' is not a file name");
                if (file.Contains('/') || file.Contains('\\') || file.Contains(".."))
                    throw new ModelFormatException($"{indexPath}: weight_map entry '{entry.Name}' names a file outside the directory");
                _fileOfTensor[entry.Name] = file;
            }
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"{indexPath}: not valid JSON: {e.Message}");
        }
    }

    public bool Contains(string name) => _fileOfTensor.ContainsKey(name);

    public void Read(string name, int[] shape, float* destination)
    {
        if (!_fileOfTensor.TryGetValue(name, out var fileName))
            throw new ModelFormatException($"{_directory}: missing tensor '{name}'");
        var file = Open(fileName);
        if (!file.Tensors.TryGetValue(name, out var tensor))
            throw new ModelFormatException($"{fileName}: missing tensor '{name}' (listed in the index)");
        if (tensor.DType is not ("F32" or "F16" or "BF16"))
            throw new ModelFormatException($"{fileName}: tensor '{name}' has unsupported dtype {tensor.DType} (supported: F32, F16, BF16)");
        if (!tensor.Shape.SequenceEqual(shape.Select(s => (long)s)))
            throw new ModelFormatException(
                $"{fileName}: tensor '{name}' has shape [{string.Join(", ", tensor.Shape)}] but the config needs [{string.Join(", ", shape)}]");
        int count = checked((int)tensor.ElementCount);
        var output = new Span<float>(destination, count);
        byte* source = file.GetPointer(tensor);
        switch (tensor.DType)
        {
            case "F32":
                new ReadOnlySpan<float>(source, count).CopyTo(output);
                break;
            case "F16":
                TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>(source, count), output);
                break;
            case "BF16":
                var bf = new ReadOnlySpan<ushort>(source, count);
                for (int i = 0; i < count; i++) output[i] = BitConverter.Int32BitsToSingle(bf[i] << 16);
                break;
            default:
                throw new ModelFormatException($"{fileName}: tensor '{name}' has unsupported dtype {tensor.DType} (supported: F32, F16, BF16)");
        }
    }

    private SafetensorsFile Open(string fileName)
    {
        if (_open.TryGetValue(fileName, out var file)) return file;
        string path = Path.Combine(_directory, fileName);
        if (!File.Exists(path)) throw new ModelFormatException($"{_directory}: shard file '{fileName}' named by the index does not exist");
        file = SafetensorsFile.Open(path);
        _open[fileName] = file;
        return file;
    }

    public void Dispose()
    {
        foreach (var file in _open.Values) file.Dispose();
        _open.Clear();
    }
}
