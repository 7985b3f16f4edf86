using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using P2P.Daemon.Configuration;
using P2P.InferenceNetwork.Routing;
using P2P.Networking.Core;

namespace P2P.Daemon.Gateway;

/// <summary>
/// The OpenAI-compatible gateway (<c>/v1/models</c>, <c>/v1/completions</c>, <c>/v1/chat/completions</c>; open like other
/// OpenAI-compatible servers, the daemon's <c>Host</c> check applies) and <c>/api/v1/inference</c>, <c>/api/v1/inference/directory</c>.
/// </summary>
public static class GatewayEndpoints
{
    public static IEndpointRouteBuilder MapGatewayEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/models", (InferenceRuntime runtime) => Results.Json(new
        {
            @object = "list",
            data = runtime.Directory.Current().GroupBy(a => a.ModelId).Select(g => new
            {
                id = g.First().Name,
                @object = "model",
                created = g.Min(a => a.IssuedAtMs) / 1000,
                owned_by = "p2pd",
                model_id = g.Key,
                whole_model_executors = g.Count(a => a.IsWholeModel),
                span_servers = g.Count(a => !a.IsWholeModel),
            }),
        }));
        endpoints.MapPost("/v1/completions", (HttpContext http, InferenceRuntime runtime, InferenceOptions options, DaemonSettings settings) =>
            new CompletionHandler(runtime, options, settings.DataDirectory.Resolve(options.ModelsDirectory), chat: false).HandleAsync(http));
        endpoints.MapPost("/v1/chat/completions", (HttpContext http, InferenceRuntime runtime, InferenceOptions options, DaemonSettings settings) =>
            new CompletionHandler(runtime, options, settings.DataDirectory.Resolve(options.ModelsDirectory), chat: true).HandleAsync(http));
        endpoints.MapGet("/api/v1/inference/directory", (InferenceRuntime runtime) => Results.Json(new
        {
            adverts = runtime.Directory.Current().Select(a => new
            {
                peerId = a.PeerId,
                modelId = a.ModelId,
                name = a.Name,
                start = a.Start,
                end = a.End,
                numLayers = a.NumLayers,
                deterministic = a.Deterministic,
                tokensPerSecond = a.TokensPerSecond,
                freeSlots = a.FreeSlots,
                maxSessions = a.MaxSessions,
                addresses = a.Addresses,
                expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(a.ExpiresAtMs),
            }),
        }));
        endpoints.MapGet("/api/v1/inference", (InferenceRuntime runtime, IP2PHost host, IExecutorWeights weights, IServiceProvider services) => Results.Json(new
        {
            peerId = host.LocalPeerId.ToString(),
            weights = new
            {
                // On a chain the weights may be wrapped (accountability sets convicted peers to 0); the epoch and floor are the chain's.
                source = services.GetService(typeof(ChainExecutorWeights)) is null ? "health-only" : weights is ChainExecutorWeights ? "chain" : "chain, convictions applied",
                epoch = (services.GetService(typeof(ChainExecutorWeights)) as ChainExecutorWeights)?.Epoch,
                floor = (services.GetService(typeof(ChainExecutorWeights)) as ChainExecutorWeights)?.Floor,
                executors = runtime.Directory.Current().Select(a => a.PeerId).Distinct().Select(p => new { peerId = p, weight = weights.WeightOf(p) }),
            },
            served = runtime.Catalog.Models.Select(m => new
            {
                modelId = m.ModelId,
                spec = m.Spec,
                start = m.Range.Start,
                end = m.Range.End,
                tokensPerSecond = m.TokensPerSecond,
                freeSlots = m.FreeSlots,
                maxSessions = m.MaxSessions,
                kvCacheBytesUsed = m.Shard.Cache.UsedBytes,
            }),
            activeSessions = runtime.Executor?.ActiveSessions ?? 0,
            activeRequests = Volatile.Read(ref runtime.ActiveRequests),
            seenTasks = runtime.SeenTasks.ToArray().Select(t => new { taskId = t.TaskId, modelId = t.ModelId, requestHash = t.RequestHash, route = t.Route, gateway = t.GatewayPeerId, deadline = DateTimeOffset.FromUnixTimeMilliseconds(t.DeadlineMs) }),
            activeRoutes = runtime.ActiveRoutes.Select(r => new { taskId = r.Key, route = r.Value.ToArray().Select(h => new { peerId = h.PeerId, start = h.Start, end = h.End }) }),
            recentTasks = runtime.RecentTasks.Select(t => new
            {
                taskId = t.TaskId,
                model = t.Model,
                route = t.Route.Select(h => new { peerId = h.PeerId, start = h.Start, end = h.End }),
                promptTokens = t.PromptTokens,
                completionTokens = t.CompletionTokens,
                seconds = t.Seconds,
                outcome = t.Outcome,
                started = t.Started,
            }),
        }));
        return endpoints;
    }
}
