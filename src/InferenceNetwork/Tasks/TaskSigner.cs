using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using P2P.Networking.Identity;

namespace P2P.InferenceNetwork.Tasks;

/// <summary>Signs, encodes and checks task announcements.</summary>
public static class TaskSigner
{
    public const int MaxBytes = 4 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { MaxDepth = 4 };
    private static readonly byte[] Domain = Encoding.UTF8.GetBytes("p2pd-task/1:");

    public static byte[] SigningBytes(TaskAnnouncement task) => [.. Domain, .. JsonSerializer.SerializeToUtf8Bytes(task with { Signature = null }, Json)];

    public static TaskAnnouncement Sign(TaskAnnouncement task, PrivateKey key)
    {
        var named = task with { GatewayPeerId = key.PeerId.ToString() };
        return named with { Signature = key.Sign(SigningBytes(named)) };
    }

    public static byte[] Encode(TaskAnnouncement task) => JsonSerializer.SerializeToUtf8Bytes(task, Json);

    /// <summary>Hex SHA-256 over the prompt ids and parameters that determine the answer.</summary>
    public static string RequestHash(string modelId, IReadOnlyList<int> prompt, string parameters)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(modelId + "\n" + string.Join(",", prompt) + "\n" + parameters));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>Decodes and checks a task announcement; the reason is null when it is valid.</summary>
    public static TaskAnnouncement? Decode(ReadOnlySpan<byte> bytes, out string? reason)
    {
        if (bytes.Length > MaxBytes) { reason = $"task announcement of {bytes.Length} bytes exceeds {MaxBytes}"; return null; }
        TaskAnnouncement? task;
        try
        {
            task = JsonSerializer.Deserialize<TaskAnnouncement>(bytes, Json);
        }
        catch (JsonException e)
        {
            reason = $"malformed task announcement: {e.Message}";
            return null;
        }
        reason = task is null ? "empty task announcement"
            : task.Version != 1 ? $"unknown task version {task.Version}"
            : task.TaskId.Length is 0 or > 64 || task.RequestHash.Length != 64 || task.ModelId.Length != 64 || task.Route.Length > 32 ? "task fields are malformed"
            : !PeerId.TryParse(task.GatewayPeerId, out var peer) || peer is null ? "task gateway is not a peer id"
            : task.Signature is null || !PublicKey.FromPeerId(peer).Verify(SigningBytes(task), task.Signature) ? "task signature does not verify"
            : null;
        return reason is null ? task : null;
    }
}
