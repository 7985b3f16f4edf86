using P2P.Networking.RequestResponse;

namespace P2P.Simulation;

/// <summary>Text messages as UTF-8, for test protocols.</summary>
public sealed class Utf8Codec(int maxBytes = 1024) : IMessageCodec<string>
{
    public int MaxBytes { get; } = maxBytes;

    public ReadOnlyMemory<byte> Encode(string message) => System.Text.Encoding.UTF8.GetBytes(message);

    public string Decode(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            return new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.Span);
        }
        catch (System.Text.DecoderFallbackException e)
        {
            throw new FormatException("not UTF-8", e);
        }
    }
}
