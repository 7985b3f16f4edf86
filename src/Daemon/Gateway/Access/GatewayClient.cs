using Microsoft.AspNetCore.Http;

namespace P2P.Daemon.Gateway.Access;

/// <summary>Which client a <c>/v1/*</c> request counts against: its bearer key when keys are on, else its remote address.</summary>
public static class GatewayClient
{
    private const string ItemName = "p2pd.gateway.client";

    public static bool IsGatewayPath(HttpRequest request) => request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase);

    /// <summary>Called by <see cref="GatewayApiKeyMiddleware"/> once the key is known; the partition names the key by its position, never by its text.</summary>
    public static void SetKey(HttpContext context, int keyIndex) => context.Items[ItemName] = $"key:{keyIndex}";

    public static string PartitionOf(HttpContext context) =>
        context.Items.TryGetValue(ItemName, out var client) && client is string name ? name : $"ip:{context.Connection.RemoteIpAddress}";
}
