using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using P2P.Inference.Generation;
using P2P.Inference.Kernels;
using P2P.Inference.Runtime;
using P2P.Inference.Serialization;
using P2P.InferenceNetwork.Cheats;
using P2P.InferenceNetwork.Generation;
using P2P.InferenceNetwork.Metrics;
using P2P.InferenceNetwork.Receipts;
using P2P.InferenceNetwork.Serving;
using P2P.Networking.Identity;

namespace P2P.InferenceNetwork.Protocol;

/// <summary>
/// The serving side of <c>/p2pd/infer/1</c>: whole-model generation streamed token by token, span steps with the
/// session's KV cache kept between requests, and close. Every refusal is an immediate error message, never a queue.
/// With accounting on, every session keeps a <see cref="SessionTranscript"/>; its signed receipt rides on the last
/// message (a generation's final token or done, a span's close) and its record waits for validators.
/// </summary>
public sealed class InferExecutor : IDisposable
{
    private readonly ModelCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly TimeSpan _sessionIdle;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<(PeerId Peer, string Session, int Start), SpanSession> _spans = new();
    private readonly ConcurrentDictionary<ServedModel, ShardCompute> _compute = new();
    private readonly ExecutorAccounting? _accounting;
    private int _activeGenerations;

    public InferExecutor(ModelCatalog catalog, TimeProvider? time = null, TimeSpan? sessionIdle = null, ILogger? log = null, ExecutorAccounting? accounting = null)
    {
        _catalog = catalog;
        _time = time ?? TimeProvider.System;
        _sessionIdle = sessionIdle ?? TimeSpan.FromSeconds(60);
        _log = log ?? NullLogger.Instance;
        _accounting = accounting;
    }

    /// <summary>Whole-model generations and span sessions open now.</summary>
    public int ActiveSessions => Volatile.Read(ref _activeGenerations) + _spans.Count;

    public async IAsyncEnumerable<InferResponse> HandleAsync(PeerId peer, InferRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? error = null;
        long tokens = 0;
        try
        {
            await foreach (var response in DispatchAsync(peer, request, cancellationToken).ConfigureAwait(false))
            {
                if (response.Kind == InferKinds.Token) tokens++;
                if (response.Kind == InferKinds.Error) error = response.Code ?? "error";
                yield return response;
            }
        }
        finally
        {
            var kind = request.Kind is InferKinds.Generate or InferKinds.Step or InferKinds.Close ? request.Kind : "other";
            InferenceNetworkMetrics.Executed(kind, error ?? (cancellationToken.IsCancellationRequested ? "cancelled" : "ok"), tokens);
        }
    }

    private async IAsyncEnumerable<InferResponse> DispatchAsync(PeerId peer, InferRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ExpireIdleSessions();
        switch (request.Kind)
        {
            case InferKinds.Generate:
                await foreach (var response in GenerateAsync(request, cancellationToken).ConfigureAwait(false)) yield return response;
                break;
            case InferKinds.Step:
                yield return await StepAsync(peer, request, cancellationToken).ConfigureAwait(false);
                break;
            case InferKinds.Close:
                byte[]? receipt = null;
                if (_spans.TryRemove((peer, request.SessionId, request.Start), out var closed))
                {
                    // A close while a step runs cancels the session: that step is still writing the transcript, and an
                    // unfinished session earns no receipt.
                    receipt = closed.TryBeginStep() && closed.Transcript is { } transcript ? Issue(transcript) : null;
                    closed.Dispose();
                }
                yield return new InferResponse { Kind = InferKinds.Done, FinishReason = "closed", Receipt = receipt };
                break;
            default:
                yield return InferResponse.Failure(InferErrorCodes.BadRequest, $"unknown request kind '{request.Kind}'");
                break;
        }
    }

    private async IAsyncEnumerable<InferResponse> GenerateAsync(InferRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var model = _catalog.FindWhole(request.ModelId);
        var problem = model is null ? null : CheckGenerate(model, request);
        if (model is null || problem is not null)
        {
            yield return model is null
                ? InferResponse.Failure(InferErrorCodes.UnknownModel, $"this node does not serve the whole model {request.ModelId}")
                : InferResponse.Failure(InferErrorCodes.BadRequest, problem!);
            yield break;
        }
        if (Unpayable() is { } unpayable)
        {
            yield return unpayable;
            yield break;
        }
        using var slot = model.TryAcquireSlot();
        if (slot is null)
        {
            yield return InferResponse.Failure(InferErrorCodes.Busy, $"all {model.MaxSessions} sessions are in use");
            yield break;
        }
        Interlocked.Increment(ref _activeGenerations);
        var shard = ComputeFor(model);
        using var session = shard.CreateSession();
        try
        {
            var parameters = ToParameters(request);
            var selector = new TokenSelector(parameters, model.Config.MaxPositions, request.Resume);
            var transcript = Transcript(model, request, PayloadKind.Tokens, PayloadKind.Tokens, Sampling(request));
            transcript?.AddInput(new DataChunk(request.Tokens.Length, ReceiptHashing.TokenBytes(request.Tokens)));
            var input = request.Tokens;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var step = input;
                var logits = await Task.Run(() =>
                {
                    var hidden = shard.Embed(step);
                    shard.Forward(session, step.Length, hidden);
                    return shard.Logits(hidden, step.Length - 1);
                }, cancellationToken).ConfigureAwait(false);
                transcript?.AddLogits(logits);
                var selected = selector.Next(logits, session.Position);
                if (selected.Token is { } token) transcript?.AddOutput(new DataChunk(1, ReceiptHashing.TokenBytes([token])));
                var receipt = selected.FinishReason is not null && transcript is not null ? Issue(transcript) : null;
                if (selected.Token is { } next)
                {
                    yield return ToTokenResponse(selected.LogProbs!, selected.FinishReason) with { Receipt = receipt };
                    input = [next];
                }
                else
                {
                    yield return new InferResponse { Kind = InferKinds.Done, FinishReason = selected.FinishReason, Receipt = receipt };
                }
                if (selected.FinishReason is not null) yield break;
            }
        }
        finally
        {
            Interlocked.Decrement(ref _activeGenerations);
        }
    }

    private static string? CheckGenerate(ServedModel model, InferRequest request)
    {
        if (ModeProblem(model, request) is { } mode) return mode;
        if (request.Tokens.Length == 0) return "the prompt is empty";
        if (request.Tokens.Length >= model.Config.MaxPositions) return $"the prompt of {request.Tokens.Length} tokens does not fit the context of {model.Config.MaxPositions}";
        if (request.Tokens.Any(t => (uint)t >= (uint)model.Config.VocabSize)) return "a prompt token is outside the vocabulary";
        if (request.MaxTokens < 0 || request.MaxTokens > model.Config.MaxPositions) return $"max tokens must be 0..{model.Config.MaxPositions}";
        if (request.TopLogProbs is < 0 or > 20) return "top log-probs must be 0..20";
        if (request.Resume < 0 || request.Resume >= request.Tokens.Length) return "resume must count generated tokens inside the prompt";
        if (request.TaskId.Length > 128) return "a task id has at most 128 characters";
        return null;
    }

    private static string? ModeProblem(ServedModel model, InferRequest request) =>
        request.Deterministic != (model.Shard.Backend.Mode == ComputeMode.Deterministic)
            ? $"this node runs {model.Shard.Backend.Mode} mode; the request asks for {(request.Deterministic ? "deterministic" : "fast")}"
            : null;

    private async Task<InferResponse> StepAsync(PeerId peer, InferRequest request, CancellationToken cancellationToken)
    {
        var model = _catalog.Find(request.ModelId, request.Start, request.End);
        if (model is null) return InferResponse.Failure(InferErrorCodes.UnknownModel, $"this node does not serve layers [{request.Start}, {request.End}) of {request.ModelId}");
        if (ModeProblem(model, request) is { } mode) return InferResponse.Failure(InferErrorCodes.BadRequest, mode);
        if (request.SessionId.Length is 0 or > 64) return InferResponse.Failure(InferErrorCodes.BadRequest, "a session id of 1..64 characters is required");
        if (request.TaskId.Length > 128) return InferResponse.Failure(InferErrorCodes.BadRequest, "a task id has at most 128 characters");
        var key = (peer, request.SessionId, request.Start);
        SpanSession? span;
        if (request.Position == 0)
        {
            if (_spans.TryRemove(key, out var previous)) previous.Dispose();
            if (Unpayable() is { } unpayable) return unpayable;
            var slot = model.TryAcquireSlot();
            if (slot is null) return InferResponse.Failure(InferErrorCodes.Busy, $"all {model.MaxSessions} sessions are in use");
            var compute = ComputeFor(model);
            span = new SpanSession(model, compute.CreateSession(), slot)
            {
                // Stamped before it is published: a concurrent request's idle sweep must not read an unset stamp as "idle since boot".
                LastUsedTimestamp = _time.GetTimestamp(),
                Compute = compute,
                Transcript = Transcript(model, request, model.Shard.HasEmbeddings ? PayloadKind.Tokens : PayloadKind.Hidden,
                    model.Shard.HasHead ? PayloadKind.Logits : PayloadKind.Hidden, null),
            };
            span.TryBeginStep();
            _spans[key] = span;
        }
        else if (!_spans.TryGetValue(key, out span) || span.Model != model || span.Session.Position != request.Position || span.Session.Evicted)
        {
            return InferResponse.Failure(InferErrorCodes.UnknownSession, $"no session {request.SessionId} at position {request.Position}: replay from 0");
        }
        else if (!span.TryBeginStep())
        {
            return InferResponse.Failure(InferErrorCodes.Busy, $"a step of session {request.SessionId} is already running");
        }
        span.LastUsedTimestamp = _time.GetTimestamp();
        try
        {
            var shard = span.Compute;
            int d = model.Config.HiddenSize;
            float[] hidden;
            if (model.Shard.HasEmbeddings)
            {
                if (request.Tokens.Length == 0 || request.Tokens.Any(t => (uint)t >= (uint)model.Config.VocabSize))
                    return Fail(key, span, InferErrorCodes.BadRequest, "the first span needs 1+ token ids inside the vocabulary");
                hidden = shard.Embed(request.Tokens);
                span.Transcript?.AddInput(new DataChunk(request.Tokens.Length, ReceiptHashing.TokenBytes(request.Tokens)));
            }
            else
            {
                if (request.Hidden is null) return Fail(key, span, InferErrorCodes.BadRequest, "hidden states are required after the first span");
                hidden = HiddenStateCodec.Decode(request.Hidden, out _, out _, expectedDim: d, maxElements: model.Config.MaxPositions * d);
                span.Transcript?.AddInput(new DataChunk(hidden.Length / d, ReceiptHashing.FloatBytes(hidden)));
            }
            int rows = hidden.Length / d;
            if (request.Position + rows > model.Config.MaxPositions) return Fail(key, span, InferErrorCodes.BadRequest, "the session would exceed the context");
            await Task.Run(() => shard.Forward(span.Session, rows, hidden), cancellationToken).ConfigureAwait(false);
            span.LastUsedTimestamp = _time.GetTimestamp();
            if (model.Shard.HasHead)
            {
                var logits = shard.Logits(hidden, rows - 1);
                span.Transcript?.AddLogits(logits);
                span.Transcript?.AddOutput(new DataChunk(1, ReceiptHashing.FloatBytes(logits)));
                return new InferResponse { Kind = InferKinds.Logits, Data = HiddenStateCodec.Encode(logits, 1, logits.Length, HiddenStateFormat.Float32) };
            }
            span.Transcript?.AddOutput(new DataChunk(rows, ReceiptHashing.FloatBytes(hidden)));
            return new InferResponse { Kind = InferKinds.Hidden, Data = HiddenStateCodec.Encode(hidden, rows, d, HiddenStateFormat.Float32) };
        }
        catch (SessionEvictedException)
        {
            return Fail(key, span, InferErrorCodes.UnknownSession, "the session was evicted from the KV cache: replay from 0");
        }
        catch (ObjectDisposedException)
        {
            return Fail(key, span, InferErrorCodes.UnknownSession, "the session was closed while this step waited: replay from 0");
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return Fail(key, span, InferErrorCodes.BadRequest, e.Message);
        }
        finally
        {
            span.EndStep();
        }
    }

    /// <summary>A new session's refusal while its receipt could reach no block: the gateway takes the work elsewhere.</summary>
    private InferResponse? Unpayable()
    {
        if (_accounting?.Issuer.UnpayableReason is not { } reason) return null;
        _log.LogDebug("refused a new session: {Reason}", reason);
        return InferResponse.Failure(InferErrorCodes.Busy, reason);
    }

    private ShardCompute ComputeFor(ServedModel model) => _compute.GetOrAdd(model, m => new ShardCompute(m, _accounting?.Cheat ?? ExecutorCheat.None));

    private SessionTranscript? Transcript(ServedModel model, InferRequest request, PayloadKind input, PayloadKind output, SamplingParameters? sampling) =>
        _accounting is null ? null : new SessionTranscript(model.ModelId, model.Range.Start, model.Range.End, request.Deterministic, input, output, sampling,
            ReceiptHashing.TaskId(request.TaskId.Length > 0 ? request.TaskId : request.SessionId));

    private static SamplingParameters Sampling(InferRequest request) => new()
    {
        Temperature = request.Temperature,
        TopK = request.TopK,
        TopP = request.TopP,
        Seed = request.Seed,
        MaxTokens = request.MaxTokens,
        StopTokens = request.StopTokens,
        ResumedAfter = request.Resume,
    };

    /// <summary>Signs the session's receipt and keeps its record for validators; null when accounting is off or no chain is ready.</summary>
    private byte[]? Issue(SessionTranscript transcript)
    {
        if (_accounting is null) return null;
        var fields = transcript.Fields();
        if (fields.InputCount == 0) return null;
        var issued = _accounting.Issuer.Issue(fields);
        if (issued is null) return null;
        _accounting.Records.Add(transcript.Record(issued, _time.GetUtcNow() + _accounting.RecordLifetime));
        return issued.Encoded;
    }

    /// <summary>Ends the failed session, unless the key already names a newer one (the gateway reopened it meanwhile).</summary>
    private InferResponse Fail((PeerId, string, int) key, SpanSession span, string code, string message)
    {
        if (_spans.TryRemove(new KeyValuePair<(PeerId, string, int), SpanSession>(key, span))) span.Dispose();
        return InferResponse.Failure(code, message);
    }

    private void ExpireIdleSessions()
    {
        foreach (var (key, span) in _spans)
        {
            if (!span.Stepping && _time.GetElapsedTime(span.LastUsedTimestamp) > _sessionIdle && _spans.TryRemove(new KeyValuePair<(PeerId, string, int), SpanSession>(key, span)))
            {
                _log.LogDebug("expired idle span session {Session} of {Peer}", key.Session, key.Peer);
                span.Dispose();
            }
        }
    }

    internal static GenerationParameters ToParameters(InferRequest request) => new()
    {
        MaxTokens = request.MaxTokens,
        Sampling = new SamplingOptions { Temperature = request.Temperature, TopK = request.TopK, TopP = request.TopP, Seed = request.Seed },
        StopTokens = request.StopTokens.ToHashSet(),
        TopLogProbs = request.TopLogProbs,
    };

    internal static InferResponse ToTokenResponse(TokenLogProbs logProbs, string? finishReason) => new()
    {
        Kind = InferKinds.Token,
        Token = logProbs.Token,
        LogProb = logProbs.LogProb,
        Top = [.. logProbs.Top.Select(t => new InferTopLogProb(t.Token, t.LogProb))],
        FinishReason = finishReason,
    };

    public void Dispose()
    {
        foreach (var key in _spans.Keys)
            if (_spans.TryRemove(key, out var span)) span.Dispose();
        foreach (var compute in _compute.Values) compute.Dispose();
    }
}
