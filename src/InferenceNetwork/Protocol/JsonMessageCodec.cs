using System.Text.Json;
using P2P.Networking.RequestResponse;

namespace P2P.InferenceNetwork.Protocol;

/// <summary>UTF-8 JSON messages (camelCase, byte arrays as base64) with a size limit checked before parsing.</summary>
public sealed class JsonMessageCodec<T>(int maxBytes) : IMessageCodec<T>
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { MaxDepth = 8 };

    public int MaxBytes { get; } = maxBytes;

    public ReadOnlyMemory<byte> Encode(T message) => JsonSerializer.SerializeToUtf8Bytes(message, Options);

    public T Decode(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.Length > MaxBytes) throw new FormatException($"{typeof(T).Name} of {bytes.Length} bytes exceeds {MaxBytes}");
        try
        {
            return JsonSerializer.Deserialize<T>(bytes.Span, Options) ?? throw new FormatException($"{typeof(T).Name} is null");
        }
        catch (JsonException e)
        {
            throw new FormatException($"malformed {typeof(T).Name}: {e.Message}", e);
        }
    }
}
