using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using P2P.Inference.Serialization;
using P2P.InferenceNetwork.Adverts;
using P2P.InferenceNetwork.Generation;
using P2P.InferenceNetwork.Metrics;
using P2P.InferenceNetwork.Protocol;

namespace P2P.InferenceNetwork.Routing;

/// <summary>
/// Routes a generation through the network: a whole-model executor when one exists, else the cheapest chain of span
/// servers covering [0, L) (<see cref="RoutePlanner"/>). On a span route the gateway samples, and keeps every span's
/// inputs, so a failed server is replaced and its KV cache rebuilt by replay without restarting the request.
/// </summary>
public sealed class InferenceRouter(InferenceDirectory directory, ExecutorChannel channel, ExecutorPicker picker, PeerHealth health, ILogger? log = null, TimeProvider? time = null)
{
    /// <summary>Executors tried for one request (or one span) before it fails.</summary>
    public const int MaxAttempts = 4;

    private readonly ILogger _log = log ?? NullLogger.Instance;
    private readonly RoutePlanner _planner = new(picker, health);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Streams token responses (the last one carries the finish reason); <paramref name="route"/> collects the hops used.</summary>
    public async IAsyncEnumerable<InferResponse> GenerateAsync(RouteRequest request, List<RouteStep> route, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long started = _time.GetTimestamp();
        long tokens = 0;
        bool completed = false;
        try
        {
            await foreach (var response in RouteAsync(request, route, cancellationToken).ConfigureAwait(false))
            {
                if (response.Kind == InferKinds.Token && tokens++ == 0) InferenceNetworkMetrics.FirstToken(_time.GetElapsedTime(started));
                // The caller may stop reading at the finish reason, before the stream formally ends.
                if (response.Kind == InferKinds.Done || response.FinishReason is not null) completed = true;
                yield return response;
            }
            completed = true;
        }
        finally
        {
            // A caller that stops reading early (client gone) lands here too, as does an exception: both are not "ok".
            var outcome = completed ? "ok" : cancellationToken.IsCancellationRequested ? "cancelled" : "error";
            InferenceNetworkMetrics.Completed(outcome, tokens, _time.GetElapsedTime(started));
        }
    }

    private async IAsyncEnumerable<InferResponse> RouteAsync(RouteRequest request, List<RouteStep> route, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var adverts = directory.Current(request.ModelId).Where(a => a.Deterministic == request.Deterministic).ToList();
        if (adverts.Count == 0) throw new InferenceFailedException("model_not_available", $"no reachable node serves model {request.ModelId} in {(request.Deterministic ? "deterministic" : "fast")} mode");
        var whole = adverts.Where(a => a.IsWholeModel).ToList();
        var generated = new List<int>();
        var exclude = new HashSet<string>();
        Exception? lastFailure = null;
        for (int attempt = 0; attempt < MaxAttempts && whole.Count > 0; attempt++)
        {
            var advert = picker.Pick(whole, exclude);
            if (advert is null) break;
            route.Add(new RouteStep(advert.PeerId, 0, advert.End));
            var message = new InferRequest
            {
                Kind = InferKinds.Generate,
                ModelId = request.ModelId,
                Start = 0,
                End = advert.End,
                Deterministic = request.Deterministic,
                Tokens = [.. request.Prompt, .. generated],
                MaxTokens = request.Parameters.MaxTokens - generated.Count,
                // A replacement continues the seeded sampler's stream after the tokens the failed executor produced.
                Resume = generated.Count,
                Temperature = request.Parameters.Sampling.Temperature,
                TopK = request.Parameters.Sampling.TopK,
                TopP = request.Parameters.Sampling.TopP,
                Seed = request.Parameters.Sampling.Seed,
                TopLogProbs = request.Parameters.TopLogProbs,
                StopTokens = [.. request.Parameters.StopTokens],
                TaskId = request.TaskId,
            };
            var clock = Stopwatch.StartNew();
            await using var responses = channel.SendAsync(advert.PeerId, message, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                InferResponse response;
                try
                {
                    if (!await responses.MoveNextAsync().ConfigureAwait(false)) { lastFailure = new IOException($"{advert.PeerId} ended the stream early"); break; }
                    response = responses.Current;
                    if (response.Kind == InferKinds.Error) throw new InferenceFailedException(response.Code ?? "executor_error", $"{advert.PeerId}: {response.Message}");
                    if (response.Kind != InferKinds.Token && response.Kind != InferKinds.Done) throw new IOException($"{advert.PeerId} sent an unexpected '{response.Kind}' message");
                    if (response.Kind == InferKinds.Token && (uint)response.Token >= 1u << 24) throw new IOException($"{advert.PeerId} sent a bad token id");
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not InferenceFailedException { Code: InferErrorCodes.BadRequest })
                {
                    _log.LogInformation("executor {Peer} failed: {Reason}", advert.PeerId, e.Message);
                    health.RecordFailure(advert.PeerId);
                    exclude.Add(advert.PeerId);
                    lastFailure = e;
                    break;
                }
                if (response.Kind == InferKinds.Token) generated.Add(response.Token);
                if (response.Receipt is { } receipt) request.ReceiptSink?.Invoke(receipt);
                yield return response;
                if (response.Kind == InferKinds.Done || response.FinishReason is not null)
                {
                    health.RecordSuccess(advert.PeerId, clock.Elapsed / Math.Max(1, generated.Count));
                    yield break;
                }
            }
        }
        if (generated.Count > 0 || adverts.All(a => a.IsWholeModel))
            throw new InferenceFailedException("executor_failed", $"no executor completed the request: {lastFailure?.Message ?? "none available"}", lastFailure);
        await foreach (var response in SpanRouteAsync(request, adverts, route, cancellationToken).ConfigureAwait(false)) yield return response;
    }

    private async IAsyncEnumerable<InferResponse> SpanRouteAsync(RouteRequest request, List<CapabilityAdvert> adverts, List<RouteStep> route, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var plan = _planner.Plan(adverts, request.NumLayers, new HashSet<string>())
            ?? throw new InferenceFailedException("model_not_available", $"no reachable route of span servers covers layers [0, {request.NumLayers}) of model {request.ModelId}");
        var spans = plan.Select(a => new SpanState(a)).ToList();
        var sessionId = Guid.NewGuid().ToString("N");
        foreach (var span in spans) route.Add(new RouteStep(span.Advert.PeerId, span.Advert.Start, span.Advert.End));
        var selector = new TokenSelector(request.Parameters, request.MaxPositions);
        try
        {
            int[] tokens = [.. request.Prompt];
            int position = 0;
            while (true)
            {
                float[]? hidden = null;
                float[] logits = [];
                foreach (var span in spans)
                {
                    var output = await StepWithFailoverAsync(request, span, sessionId, tokens, hidden, adverts, route, cancellationToken).ConfigureAwait(false);
                    if (span.Advert.End == request.NumLayers) logits = output; else hidden = output;
                }
                position += tokens.Length;
                var selected = selector.Next(logits, position);
                if (selected.Token is { } token)
                {
                    yield return InferExecutor.ToTokenResponse(selected.LogProbs!, selected.FinishReason);
                    tokens = [token];
                }
                else
                {
                    yield return new InferResponse { Kind = InferKinds.Done, FinishReason = selected.FinishReason };
                }
                if (selected.FinishReason is not null) yield break;
            }
        }
        finally
        {
            foreach (var span in spans) _ = CloseQuietlyAsync(span.Advert.PeerId, request, span.Advert, sessionId);
        }
    }

    /// <summary>Runs one span step; on failure replaces the server and replays the span's earlier inputs into the new one.</summary>
    private async Task<float[]> StepWithFailoverAsync(RouteRequest request, SpanState span, string sessionId, int[] tokens, float[]? hidden,
        List<CapabilityAdvert> adverts, List<RouteStep> route, CancellationToken cancellationToken)
    {
        var exclude = new HashSet<string>();
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                if (span.NeedsReplay && span.History.Count > 0)
                {
                    await StepAsync(request, span, sessionId, 0, span.ReplayTokens(), span.ReplayHidden(), cancellationToken).ConfigureAwait(false);
                }
                span.NeedsReplay = false;
                var output = await StepAsync(request, span, sessionId, span.Rows, tokens, hidden, cancellationToken).ConfigureAwait(false);
                span.Record(tokens, hidden);
                return output;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not InferenceFailedException { Code: InferErrorCodes.BadRequest })
            {
                _log.LogInformation("span server {Peer} {Start}-{End} failed: {Reason}", span.Advert.PeerId, span.Advert.Start, span.Advert.End, e.Message);
                if (e is not InferenceFailedException { Code: InferErrorCodes.UnknownSession })
                {
                    health.RecordFailure(span.Advert.PeerId);
                    exclude.Add(span.Advert.PeerId);
                }
                exclude.Add(span.Advert.PeerId);
                // Fresh adverts: a server that joined after the request started may take over.
                var replacement = picker.Pick(directory.Current(request.ModelId).Where(a => a.Deterministic == request.Deterministic && a.Start == span.Advert.Start && a.End == span.Advert.End), exclude);
                if (replacement is null || attempt + 1 >= MaxAttempts)
                    throw new InferenceFailedException("executor_failed", $"no server for layers [{span.Advert.Start}, {span.Advert.End}) completed the step: {e.Message}", e);
                span.Advert = replacement;
                span.NeedsReplay = true;
                route.Add(new RouteStep(replacement.PeerId, replacement.Start, replacement.End));
            }
        }
    }

    private async Task<float[]> StepAsync(RouteRequest request, SpanState span, string sessionId, int position, int[] tokens, float[]? hidden, CancellationToken cancellationToken)
    {
        var advert = span.Advert;
        var message = new InferRequest
        {
            Kind = InferKinds.Step,
            ModelId = request.ModelId,
            Start = advert.Start,
            End = advert.End,
            Deterministic = request.Deterministic,
            SessionId = sessionId,
            Position = position,
            TaskId = request.TaskId,
            Tokens = advert.Start == 0 ? tokens : [],
            Hidden = advert.Start == 0 || hidden is null ? null : HiddenStateCodec.Encode(hidden, hidden.Length / span.HiddenSize(hidden, tokens), span.HiddenSize(hidden, tokens), HiddenStateFormat.Float32),
        };
        var clock = Stopwatch.StartNew();
        InferResponse? answer = null;
        await foreach (var response in channel.SendAsync(advert.PeerId, message, cancellationToken).ConfigureAwait(false))
        {
            answer = response;
            break;
        }
        if (answer is null) throw new IOException($"{advert.PeerId} sent no answer");
        if (answer.Kind == InferKinds.Error) throw new InferenceFailedException(answer.Code ?? "executor_error", $"{advert.PeerId}: {answer.Message}");
        var expected = advert.End == request.NumLayers ? InferKinds.Logits : InferKinds.Hidden;
        if (answer.Kind != expected || answer.Data is null) throw new IOException($"{advert.PeerId} answered '{answer.Kind}' where '{expected}' belongs");
        var values = HiddenStateCodec.Decode(answer.Data, out int rows, out _, maxElements: 1 << 24);
        if (expected == InferKinds.Logits && rows != 1) throw new IOException($"{advert.PeerId} sent {rows} rows of logits");
        health.RecordSuccess(advert.PeerId, clock.Elapsed);
        return values;
    }

    private async Task CloseQuietlyAsync(string peer, RouteRequest request, CapabilityAdvert advert, string sessionId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            var close = new InferRequest { Kind = InferKinds.Close, ModelId = request.ModelId, Start = advert.Start, End = advert.End, SessionId = sessionId, Deterministic = request.Deterministic };
            await foreach (var answer in channel.SendAsync(peer, close, timeout.Token).ConfigureAwait(false))
            {
                if (answer.Receipt is { } receipt) request.ReceiptSink?.Invoke(receipt);
                break;
            }
        }
        catch (Exception e)
        {
            _log.LogDebug("closing session {Session} on {Peer}: {Reason}", sessionId, peer, e.Message);
        }
    }

    private sealed class SpanState(CapabilityAdvert advert)
    {
        public CapabilityAdvert Advert { get; set; } = advert;
        public bool NeedsReplay { get; set; }
        public List<(int[] Tokens, float[]? Hidden)> History { get; } = [];
        public int Rows { get; private set; }

        public void Record(int[] tokens, float[]? hidden)
        {
            History.Add((tokens, hidden));
            Rows += tokens.Length;
        }

        public int[] ReplayTokens() => [.. History.SelectMany(h => h.Tokens)];

        public float[]? ReplayHidden() => Advert.Start == 0 ? null : [.. History.SelectMany(h => h.Hidden!)];

        public int HiddenSize(float[] hidden, int[] tokens) => hidden.Length / tokens.Length;
    }
}
