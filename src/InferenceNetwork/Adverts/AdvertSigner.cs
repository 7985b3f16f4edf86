using System.Text;
using System.Text.Json;
using P2P.Networking.Identity;

namespace P2P.InferenceNetwork.Adverts;

/// <summary>Signs, encodes and validates capability adverts.</summary>
public static class AdvertSigner
{
    /// <summary>Largest encoded advert.</summary>
    public const int MaxBytes = 8 * 1024;

    /// <summary>How far in the future an advert's issue time may be (clock skew).</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(1);

    /// <summary>Longest validity an advert may claim.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(10);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { MaxDepth = 4 };
    private static readonly byte[] Domain = Encoding.UTF8.GetBytes("p2pd-advert/1:");

    /// <summary>Domain prefix ‖ the advert's JSON without its signature.</summary>
    public static byte[] SigningBytes(CapabilityAdvert advert) => [.. Domain, .. JsonSerializer.SerializeToUtf8Bytes(advert with { Signature = null }, Json)];

    public static CapabilityAdvert Sign(CapabilityAdvert advert, PrivateKey key) =>
        advert with { PeerId = key.PeerId.ToString(), Signature = key.Sign(SigningBytes(advert with { PeerId = key.PeerId.ToString() })) };

    public static byte[] Encode(CapabilityAdvert advert) => JsonSerializer.SerializeToUtf8Bytes(advert, Json);

    /// <summary>Decodes and checks an advert; the reason is null when it is valid now.</summary>
    public static CapabilityAdvert? Decode(ReadOnlySpan<byte> bytes, DateTimeOffset now, out string? reason, out bool expired)
    {
        expired = false;
        if (bytes.Length > MaxBytes) { reason = $"advert of {bytes.Length} bytes exceeds {MaxBytes}"; return null; }
        CapabilityAdvert? advert;
        try
        {
            advert = JsonSerializer.Deserialize<CapabilityAdvert>(bytes, Json);
        }
        catch (JsonException e)
        {
            reason = $"malformed advert: {e.Message}";
            return null;
        }
        reason = advert is null ? "empty advert" : Check(advert, now, out expired);
        return reason is null ? advert : null;
    }

    private static string? Check(CapabilityAdvert advert, DateTimeOffset now, out bool expired)
    {
        expired = false;
        if (advert.Version != 1) return $"unknown advert version {advert.Version}";
        if (!PeerId.TryParse(advert.PeerId, out var peer) || peer is null) return "advert peer id is not a peer id";
        if (advert.ModelId.Length != 64 || advert.Name.Length is 0 or > 256 || advert.Spec.Length > 1024) return "advert model id or name is malformed";
        if (advert.NumLayers <= 0 || advert.Start < 0 || advert.End <= advert.Start || advert.End > advert.NumLayers) return "advert layer range is invalid";
        if (advert.Addresses.Length > 16 || advert.FreeSlots < 0 || advert.MaxSessions < 0 || !double.IsFinite(advert.TokensPerSecond)) return "advert fields are out of range";
        var nowMs = now.ToUnixTimeMilliseconds();
        if (advert.IssuedAtMs > nowMs + (long)MaxClockSkew.TotalMilliseconds) return "advert issued in the future";
        if (advert.ExpiresAtMs - advert.IssuedAtMs > (long)MaxLifetime.TotalMilliseconds) return "advert lifetime is too long";
        if (advert.Signature is null) return "advert is unsigned";
        PublicKey key;
        try
        {
            key = PublicKey.FromPeerId(peer);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException or InvalidOperationException)
        {
            return "advert peer id does not embed a public key";
        }
        if (!key.Verify(SigningBytes(advert), advert.Signature)) return "advert signature does not verify";
        if (advert.ExpiresAtMs <= nowMs)
        {
            expired = true;
            return "advert has expired";
        }
        return null;
    }
}
