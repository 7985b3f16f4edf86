using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using P2P.Daemon.Configuration;
using P2P.Inference.Generation;
using P2P.Inference.Tokenizers.Templates;
using P2P.InferenceNetwork.Generation;
using P2P.InferenceNetwork.Protocol;
using P2P.InferenceNetwork.Routing;
using P2P.InferenceNetwork.Tasks;

namespace P2P.Daemon.Gateway;

/// <summary>One <c>/v1/completions</c> or <c>/v1/chat/completions</c> request: parse, route, answer as JSON or as SSE chunks.</summary>
public sealed class CompletionHandler(InferenceRuntime runtime, InferenceOptions options, string modelsDirectory, bool chat)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public async Task<IResult> HandleAsync(HttpContext http)
    {
        try
        {
            return await RunAsync(http).ConfigureAwait(false);
        }
        catch (OpenAiError e)
        {
            return e.ToResult();
        }
    }

    private async Task<IResult> RunAsync(HttpContext http)
    {
        var request = GatewayRequest.Parse(await ReadBodyAsync(http).ConfigureAwait(false), chat);
        var advert = runtime.Directory.FindModel(request.Model)
            ?? throw new OpenAiError(StatusCodes.Status404NotFound, "invalid_request_error", "model_not_found", $"The model '{request.Model}' does not exist or no node serves it", "model");
        GatewayModel model;
        string? text;
        try
        {
            model = GatewayModel.For(advert, modelsDirectory)
                ?? throw new OpenAiError(StatusCodes.Status503ServiceUnavailable, "server_error", "tokenizer_unavailable", $"this gateway has no config/tokenizer for {advert.Name}");
        }
        catch (TemplateException e)
        {
            throw new OpenAiError(StatusCodes.Status503ServiceUnavailable, "server_error", "chat_template_unsupported", $"the chat template of {advert.Name} cannot be used: {e.Message}");
        }
        try
        {
            text = request.Messages is { } messages ? model.RenderChat(messages) : request.PromptText;
        }
        catch (TemplateException e)
        {
            throw OpenAiError.Invalid($"the model's chat template rejected the messages: {e.Message}", "messages", "chat_template_error");
        }
        var prompt = request.PromptIds ?? model.Encode(text ?? "");
        if (prompt.Length == 0) throw OpenAiError.Invalid("the prompt is empty", "prompt");
        if (prompt.Any(t => (uint)t >= (uint)model.Config.VocabSize)) throw OpenAiError.Invalid("a prompt token id is outside the vocabulary", "prompt");
        int context = model.Config.MaxPositions;
        if (request.MaxTokens > options.MaxTokensLimit) throw OpenAiError.Invalid($"max_tokens is {request.MaxTokens}; this gateway allows at most {options.MaxTokensLimit}", "max_tokens");
        int maxTokens = request.MaxTokens ?? Math.Min(chat ? options.MaxTokensLimit : 16, context - prompt.Length);
        if (prompt.Length + maxTokens > context || prompt.Length >= context)
            throw OpenAiError.Invalid($"This model's maximum context length is {context} tokens; the prompt has {prompt.Length} and max_tokens is {maxTokens}", "messages", "context_length_exceeded");

        var router = runtime.Router ?? throw new OpenAiError(StatusCodes.Status503ServiceUnavailable, "server_error", "not_ready", "the inference network is starting");
        var route = new List<RouteStep>();
        var routeRequest = new RouteRequest(advert.ModelId, advert.NumLayers, context, prompt, new GenerationParameters
        {
            MaxTokens = maxTokens,
            Sampling = new SamplingOptions { Temperature = request.Temperature, TopP = request.TopP, Seed = request.Seed },
            StopTokens = model.Config.EosTokenIds.ToHashSet(),
            TopLogProbs = request.TopLogProbs,
        }, advert.Deterministic);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.RequestTimeoutSeconds));
        var id = (chat ? "chatcmpl-" : "cmpl-") + Guid.NewGuid().ToString("N")[..24];
        routeRequest = routeRequest with { TaskId = id, ReceiptSink = runtime.ReceiptSink is { } sink ? receipt => sink(id, receipt) : null };
        long created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var clock = Stopwatch.StartNew();
        var output = new Output(model, request.Stop);
        Interlocked.Increment(ref runtime.ActiveRequests);
        runtime.ActiveRoutes[id] = route;
        string outcome = "failed";
        try
        {
            await using var tokens = router.GenerateAsync(routeRequest, route, timeout.Token).GetAsyncEnumerator(timeout.Token);
            bool streaming = false;
            try
            {
                while (output.FinishReason is null && await tokens.MoveNextAsync().ConfigureAwait(false))
                {
                    if (output.Tokens.Count == 0 && output.Deltas.Count == 0) Announce(id, advert.ModelId, prompt, request, maxTokens, route);
                    var delta = output.Add(tokens.Current);
                    if (!request.Stream) continue;
                    if (!streaming)
                    {
                        streaming = true;
                        http.Response.ContentType = "text/event-stream";
                        http.Response.Headers.CacheControl = "no-cache";
                        if (chat) await SendAsync(http, Chunk(id, created, model.Name, new { role = "assistant", content = "" }, null, null), timeout.Token).ConfigureAwait(false);
                    }
                    var released = output.TakeReleased();
                    if (delta is not null || released.Length > 0 || output.FinishReason is not null)
                        await SendAsync(http, Chunk(id, created, model.Name, chat ? new { content = released } : null, delta, output.FinishReason, released), timeout.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is InferenceFailedException or OperationCanceledException or IOException or TimeoutException)
            {
                if (http.RequestAborted.IsCancellationRequested) { outcome = "cancelled"; return Results.Empty; }
                var error = e switch
                {
                    OperationCanceledException => new OpenAiError(StatusCodes.Status504GatewayTimeout, "server_error", "timeout", $"the request did not finish within {options.RequestTimeoutSeconds} s"),
                    InferenceFailedException { Code: "model_not_available" } f => new OpenAiError(StatusCodes.Status503ServiceUnavailable, "server_error", f.Code, f.Message),
                    InferenceFailedException f => new OpenAiError(StatusCodes.Status502BadGateway, "server_error", f.Code, f.Message),
                    _ => new OpenAiError(StatusCodes.Status502BadGateway, "server_error", "executor_failed", e.Message),
                };
                if (!streaming) return error.ToResult();
                await SendRawAsync(http, JsonSerializer.Serialize(error.Body), CancellationToken.None).ConfigureAwait(false);
                await SendRawAsync(http, "[DONE]", CancellationToken.None).ConfigureAwait(false);
                return Results.Empty;
            }
            bool endedSilently = output.FinishReason is null;
            output.Complete("stop");
            outcome = "completed";
            var usage = new { prompt_tokens = prompt.Length, completion_tokens = output.Tokens.Count, total_tokens = prompt.Length + output.Tokens.Count };
            if (request.Stream)
            {
                if (!streaming || endedSilently)
                {
                    if (!streaming) http.Response.ContentType = "text/event-stream";
                    var rest = output.TakeReleased();
                    await SendAsync(http, Chunk(id, created, model.Name, chat ? new { content = rest } : null, null, output.FinishReason, rest), timeout.Token).ConfigureAwait(false);
                }
                if (request.IncludeUsage)
                    await SendAsync(http, new { id, @object = chat ? "chat.completion.chunk" : "text_completion", created, model = model.Name, choices = Array.Empty<object>(), usage }, timeout.Token).ConfigureAwait(false);
                await SendRawAsync(http, "[DONE]", timeout.Token).ConfigureAwait(false);
                return Results.Empty;
            }
            object choice = chat
                ? new { index = 0, message = new { role = "assistant", content = output.Text }, logprobs = request.LogProbs ? ChatLogProbs(output.Deltas) : null, finish_reason = output.FinishReason }
                : new { index = 0, text = output.Text, logprobs = request.LogProbs ? CompletionLogProbs(output.Deltas) : null, finish_reason = output.FinishReason };
            return Results.Json(new { id, @object = chat ? "chat.completion" : "text_completion", created, model = model.Name, choices = new[] { choice }, usage, route }, Json);
        }
        finally
        {
            Interlocked.Decrement(ref runtime.ActiveRequests);
            runtime.ActiveRoutes.TryRemove(id, out _);
            runtime.Record(new TaskRecord(id, model.Name, [.. route], prompt.Length, output.Tokens.Count, clock.Elapsed.TotalSeconds, outcome, DateTimeOffset.UtcNow - clock.Elapsed));
        }

        object Chunk(string chunkId, long at, string name, object? delta, TokenDelta? token, string? finish, string? text = null) => chat
            ? new
            {
                id = chunkId,
                @object = "chat.completion.chunk",
                created = at,
                model = name,
                choices = new[] { new { index = 0, delta, logprobs = request.LogProbs && token is not null ? ChatLogProbs([token]) : null, finish_reason = finish } }
            }
            : new
            {
                id = chunkId,
                @object = "text_completion",
                created = at,
                model = name,
                choices = new[] { new { index = 0, text = text ?? "", logprobs = request.LogProbs && token is not null ? CompletionLogProbs([token]) : null, finish_reason = finish } }
            };
    }

    /// <summary>Announces the accepted request on <c>p2pd/tasks/1</c> once its route is known; never delays the answer.</summary>
    private void Announce(string id, string modelId, int[] prompt, GatewayRequest request, int maxTokens, List<RouteStep> route)
    {
        if (runtime.Tasks is not { } tasks) return;
        var parameters = FormattableString.Invariant($"max={maxTokens};t={request.Temperature};p={request.TopP};seed={request.Seed}");
        var task = new TaskAnnouncement
        {
            TaskId = id,
            ModelId = modelId,
            RequestHash = TaskSigner.RequestHash(modelId, prompt, parameters),
            Route = [.. route.ToArray().Select(h => $"{h.PeerId}@{h.Start}-{h.End}")],
            DeadlineMs = DateTimeOffset.UtcNow.AddSeconds(options.RequestTimeoutSeconds).ToUnixTimeMilliseconds(),
        };
        _ = tasks.AnnounceAsync(task, CancellationToken.None);
    }

    private static object ChatLogProbs(IEnumerable<TokenDelta> tokens) => new
    {
        content = tokens.Select(t => new
        {
            token = t.TokenText,
            logprob = t.LogProb,
            bytes = Encoding.UTF8.GetBytes(t.TokenText).Select(b => (int)b),
            top_logprobs = t.Top.Select(a => new { token = a.Text, logprob = a.LogProb, bytes = Encoding.UTF8.GetBytes(a.Text).Select(b => (int)b) }),
            token_id = t.Token,
        }),
    };

    private static object CompletionLogProbs(IReadOnlyList<TokenDelta> tokens) => new
    {
        tokens = tokens.Select(t => t.TokenText),
        token_logprobs = tokens.Select(t => t.LogProb),
        top_logprobs = tokens.Select(t => t.Top.GroupBy(a => a.Text).ToDictionary(g => g.Key, g => g.First().LogProb)),
        text_offset = tokens.Select(t => t.Offset),
        token_ids = tokens.Select(t => t.Token),
    };

    private async Task<JsonElement> ReadBodyAsync(HttpContext http)
    {
        int limit = options.MaxRequestBytes;
        if (http.Request.ContentLength > limit) throw TooLarge(limit);
        // Kestrel's node-wide body limit is for small API calls; prompts take the gateway's own.
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit) bodyLimit.MaxRequestBodySize = limit + 1L;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        try
        {
            while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted).ConfigureAwait(false)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > limit) throw TooLarge(limit);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(limit);
        }
        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 32 });
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new OpenAiError(StatusCodes.Status400BadRequest, "invalid_request_error", "invalid_json", $"We could not parse the JSON body of your request: {e.Message}");
        }
    }

    private static OpenAiError TooLarge(int limit) =>
        new(StatusCodes.Status413PayloadTooLarge, "invalid_request_error", "request_too_large", $"the request body exceeds {limit} bytes");

    private static Task SendAsync(HttpContext http, object chunk, CancellationToken cancellationToken) =>
        SendRawAsync(http, JsonSerializer.Serialize(chunk, Json), cancellationToken);

    private static async Task SendRawAsync(HttpContext http, string data, CancellationToken cancellationToken)
    {
        await http.Response.WriteAsync("data: " + data + "\n\n", cancellationToken).ConfigureAwait(false);
        await http.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
