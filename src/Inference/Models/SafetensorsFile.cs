using System.IO.MemoryMappedFiles;
using System.Text;
using System.Text.Json;

namespace P2P.Inference.Models;

/// <summary>
/// A memory-mapped .safetensors file: an 8-byte little-endian header length, a JSON header of
/// name → {dtype, shape, data_offsets}, then the data. The header is validated in full on open (bounds,
/// sizes, overlaps), so a truncated or corrupt file fails before any tensor is used.
/// </summary>
public sealed unsafe class SafetensorsFile : IDisposable
{
    private const long MaxHeaderBytes = 100L << 20;

    private readonly MemoryMappedFile? _map;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly byte* _base;
    private readonly long _dataStart;
    private readonly Dictionary<string, SafetensorsTensor> _tensors;

    private SafetensorsFile(string path, MemoryMappedFile? map, MemoryMappedViewAccessor? view, byte* basePointer, long dataStart,
        Dictionary<string, SafetensorsTensor> tensors)
    {
        Path = path;
        _map = map;
        _view = view;
        _base = basePointer;
        _dataStart = dataStart;
        _tensors = tensors;
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, SafetensorsTensor> Tensors => _tensors;

    public static SafetensorsFile Open(string path)
    {
        long length = new FileInfo(path).Length;
        string name = System.IO.Path.GetFileName(path);
        if (length < 8) throw new ModelFormatException($"{name}: file is truncated ({length} bytes, no header length)");
        var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        MemoryMappedViewAccessor? view = null;
        try
        {
            view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            pointer += view.PointerOffset;
            long headerLength = *(long*)pointer;
            if (!BitConverter.IsLittleEndian) headerLength = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(headerLength);
            if (headerLength <= 0 || headerLength > MaxHeaderBytes || headerLength > length - 8)
                throw new ModelFormatException($"{name}: header length {headerLength} does not fit the file ({length} bytes): truncated or not safetensors");
            var header = new ReadOnlySpan<byte>(pointer + 8, (int)headerLength);
            var tensors = ParseHeader(name, header, length - 8 - headerLength);
            return new SafetensorsFile(path, map, view, pointer, 8 + headerLength, tensors);
        }
        catch
        {
            if (view is not null)
            {
                view.SafeMemoryMappedViewHandle.ReleasePointer();
                view.Dispose();
            }
            map.Dispose();
            throw;
        }
    }

    /// <summary>Validates a header against a data section of dataLength bytes.</summary>
    internal static Dictionary<string, SafetensorsTensor> ParseHeader(string fileName, ReadOnlySpan<byte> header, long dataLength)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(Encoding.UTF8.GetString(header));
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"{fileName}: header is not valid JSON: {e.Message}");
        }
        var tensors = new Dictionary<string, SafetensorsTensor>(StringComparer.Ordinal);
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new ModelFormatException($"{fileName}: header must be a JSON object");
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__") continue;
                tensors[property.Name] = ParseEntry(fileName, property);
            }
        }
        foreach (var t in tensors.Values)
        {
            if (t.Begin < 0 || t.End < t.Begin)
                throw new ModelFormatException($"{fileName}: tensor '{t.Name}' has invalid data_offsets [{t.Begin}, {t.End}]");
            if (t.End > dataLength)
                throw new ModelFormatException($"{fileName}: tensor '{t.Name}' ends at byte {t.End} but the data section has {dataLength} bytes: file is truncated");
            int size = SafetensorsTensor.ElementSize(t.DType);
            long bytes;
            try
            {
                bytes = checked(t.Shape.Aggregate(1L, (a, b) => checked(a * b)) * Math.Max(size, 1));
            }
            catch (OverflowException)
            {
                throw new ModelFormatException($"{fileName}: tensor '{t.Name}' has a shape too large to address");
            }
            if (size > 0 && bytes != t.End - t.Begin)
                throw new ModelFormatException(
                    $"{fileName}: tensor '{t.Name}' of shape [{string.Join(", ", t.Shape)}] {t.DType} needs {t.ElementCount * size} bytes but its offsets span {t.End - t.Begin}");
        }
        SafetensorsTensor? previous = null;
        foreach (var t in tensors.Values.Where(t => t.End > t.Begin).OrderBy(t => t.Begin).ThenBy(t => t.Name, StringComparer.Ordinal))
        {
            if (previous is not null && t.Begin < previous.End)
                throw new ModelFormatException($"{fileName}: tensors '{previous.Name}' and '{t.Name}' have overlapping data_offsets");
            previous = t;
        }
        return tensors;
    }

    private static SafetensorsTensor ParseEntry(string fileName, JsonProperty property)
    {
        var e = property.Value;
        string name = property.Name;
        if (e.ValueKind != JsonValueKind.Object
            || !e.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String
            || !e.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array
            || !e.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw new ModelFormatException($"{fileName}: tensor '{name}' has a malformed header entry");
        var dims = new long[shape.GetArrayLength()];
        int i = 0;
        foreach (var d in shape.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long dim) || dim < 0 || dim > 1L << 40)
                throw new ModelFormatException($"{fileName}: tensor '{name}' has an invalid shape");
            dims[i++] = dim;
        }
        long[] range = offsets.EnumerateArray()
            .Select(o => o.ValueKind == JsonValueKind.Number && o.TryGetInt64(out long v) ? v : throw new ModelFormatException($"{fileName}: tensor '{name}' has invalid data_offsets"))
            .ToArray();
        return new SafetensorsTensor(name, dtype.GetString()!, dims, range[0], range[1]);
    }

    /// <summary>The raw bytes of a tensor inside the mapping.</summary>
    public ReadOnlySpan<byte> GetBytes(SafetensorsTensor tensor) =>
        new(_base + _dataStart + tensor.Begin, checked((int)(tensor.End - tensor.Begin)));

    /// <summary>Pointer to a tensor's bytes (valid while this file is open).</summary>
    public byte* GetPointer(SafetensorsTensor tensor) => _base + _dataStart + tensor.Begin;

    public void Dispose()
    {
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
        }
        _map?.Dispose();
    }
}
