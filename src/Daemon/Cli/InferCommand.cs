using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using P2P.Inference.Generation;
using P2P.Inference.Kernels;
using P2P.Inference.Models;
using P2P.Inference.Runtime;
using P2P.Inference.Tokenizers;

namespace P2P.Daemon.Cli;

/// <summary>`p2pd infer`: runs a local model (Hugging Face directory or seed spec) on a prompt and prints the completion.</summary>
public static class InferCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "model directory (config.json + safetensors) or seed spec, e.g. seed:preset=stories15m,seed=1", Required = true };
        var prompt = new Option<string?>("--prompt") { Description = "prompt text (needs a tokenizer: tokenizer.json, or bytes for seeded models)" };
        var promptIds = new Option<string?>("--prompt-ids") { Description = "prompt as comma-separated token ids" };
        var maxTokens = new Option<int>("--max-tokens") { Description = "tokens to generate", DefaultValueFactory = _ => 32 };
        var temperature = new Option<float>("--temperature") { Description = "0 = greedy", DefaultValueFactory = _ => 0f };
        var topK = new Option<int>("--top-k") { Description = "keep the k most likely tokens (0 = all)" };
        var topP = new Option<float>("--top-p") { Description = "nucleus sampling threshold", DefaultValueFactory = _ => 1f };
        var seed = new Option<ulong>("--seed") { Description = "sampling seed (SplitMix64)" };
        var deterministic = new Option<bool>("--deterministic") { Description = "bit-exact kernels (same output on every machine)" };
        var threads = new Option<int>("--threads") { Description = "worker threads (0 = all cores)" };
        var kvCache = new Option<KvFormat?>("--kv-cache")
        {
            Description = "how keys and values are cached: float16 (fast mode's default: half the bytes per long-context token) or float32 (agrees with deterministic mode to float rounding; deterministic mode's only format)",
        };
        var json = new Option<bool>("--json") { Description = "print ids, text, per-token log-probs and timings as JSON" };
        var logprobs = new Option<int>("--logprobs")
        {
            Description = "alternatives per token in --json output (0: no log-probs, which saves a log-softmax over the vocabulary per token)",
            DefaultValueFactory = _ => 5,
        };
        var network = new Option<bool>("--network") { Description = "send the request through the local daemon's gateway (--model is then a model name from /v1/models)" };
        var api = new Option<string>("--api") { Description = "gateway address for --network", DefaultValueFactory = _ => "http://127.0.0.1:9480" };

        var command = new Command("infer", "Run a local model on a prompt and print the completion and tokens/s");
        foreach (var option in new Option[] { model, prompt, promptIds, maxTokens, temperature, topK, topP, seed, deterministic, threads, kvCache, json, logprobs, network, api })
            command.Options.Add(option);
        command.SetAction(parse =>
        {
            try
            {
                if (parse.GetValue(network))
                    return RunOnNetwork(parse.GetValue(api)!, parse.GetValue(model)!, parse.GetValue(prompt), parse.GetValue(promptIds), parse.GetValue(maxTokens),
                        parse.GetValue(temperature), parse.GetValue(topP), parse.GetValue(seed), parse.GetValue(json), parse.GetValue(logprobs));
                return Run(parse.GetValue(model)!, parse.GetValue(prompt), parse.GetValue(promptIds), parse.GetValue(maxTokens),
                    new SamplingOptions { Temperature = parse.GetValue(temperature), TopK = parse.GetValue(topK), TopP = parse.GetValue(topP), Seed = parse.GetValue(seed) },
                    parse.GetValue(deterministic) ? ComputeMode.Deterministic : ComputeMode.Fast, parse.GetValue(threads), parse.GetValue(kvCache), parse.GetValue(json),
                    parse.GetValue(logprobs));
            }
            catch (Exception e) when (e is ModelFormatException or FormatException or ArgumentException or InvalidOperationException or IOException or HttpRequestException or TaskCanceledException)
            {
                Console.Error.WriteLine($"infer: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>One <c>/v1/completions</c> request to the gateway; prints the text (or the whole answer with --json).</summary>
    private static int RunOnNetwork(string api, string model, string? promptText, string? promptIds, int maxTokens, float temperature, float topP, ulong seed, bool json, int logprobs)
    {
        if ((promptText is null) == (promptIds is null)) throw new ArgumentException("give exactly one of --prompt and --prompt-ids");
        object prompt = promptText ?? (object)promptIds!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out int id) ? id : throw new FormatException($"--prompt-ids: '{t}' is not a token id")).ToArray();
        using var http = new HttpClient { BaseAddress = new Uri(api), Timeout = TimeSpan.FromMinutes(5) };
        var body = JsonSerializer.Serialize(new { model, prompt, max_tokens = maxTokens, temperature, top_p = topP, seed, logprobs = json ? (int?)Math.Clamp(logprobs, 0, 5) : null });
        using var response = http.PostAsync("v1/completions", new StringContent(body, System.Text.Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
        var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode)
        {
            string message = text;
            try { message = JsonDocument.Parse(text).RootElement.GetProperty("error").GetProperty("message").GetString() ?? text; } catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException) { }
            Console.Error.WriteLine($"infer: {(int)response.StatusCode} {message}");
            return 1;
        }
        if (json) { Console.WriteLine(text); return 0; }
        using var answer = JsonDocument.Parse(text);
        Console.WriteLine(answer.RootElement.GetProperty("choices")[0].GetProperty("text").GetString());
        var usage = answer.RootElement.GetProperty("usage");
        var route = string.Join(" → ", answer.RootElement.GetProperty("route").EnumerateArray().Select(h => $"{h.GetProperty("peer_id").GetString()![^8..]} [{h.GetProperty("start").GetInt32()},{h.GetProperty("end").GetInt32()})"));
        Console.WriteLine($"[{usage.GetProperty("completion_tokens").GetInt32()} tokens via {route}]");
        return 0;
    }

    private static int Run(string modelSpec, string? promptText, string? promptIds, int maxTokens, SamplingOptions sampling,
        ComputeMode mode, int threads, KvFormat? kvFormat, bool json, int logprobs)
    {
        if ((promptText is null) == (promptIds is null)) throw new ArgumentException("give exactly one of --prompt and --prompt-ids");
        var config = ModelLoader.LoadConfig(modelSpec);
        var encoder = PromptEncoder.ForModel(modelSpec, config);
        var tokenizer = encoder?.Tokenizer;
        int[] prompt;
        if (promptIds is not null)
        {
            prompt = promptIds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(t => int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out int id) ? id : throw new FormatException($"--prompt-ids: '{t}' is not a token id"))
                .ToArray();
        }
        else
        {
            if (encoder is null) throw new ArgumentException($"{modelSpec} has no tokenizer.json: use --prompt-ids");
            prompt = encoder.Encode(promptText!);
        }
        if (prompt.Length == 0) throw new ArgumentException("the prompt is empty");
        if (kvFormat is { } format && CpuBackend.KvFormatProblem(mode, format) is { } problem)
            throw new ArgumentException($"--kv-cache {format.ToString().ToLowerInvariant()}: {problem}");

        var loadClock = System.Diagnostics.Stopwatch.StartNew();
        var backend = new CpuBackend(mode, threads, kvFormat);
        using var shard = new TransformerShard(ModelLoader.Load(modelSpec), backend);
        var loadTime = loadClock.Elapsed;
        // Methods the JIT compiles while generating (tier-up of code first run unoptimised): the cold-start cost the
        // daemon's runtime settings are chosen to avoid (docs/inference.md "Warm code from the first token").
        long jitMethodsBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
        var jitTimeBefore = System.Runtime.JitInfo.GetCompilationTime();
        var result = new Generator(shard).Generate(new GenerationRequest
        {
            Prompt = prompt,
            MaxTokens = maxTokens,
            Sampling = sampling,
            StopTokens = config.EosTokenIds.ToHashSet(),
            TopLogProbs = json ? Math.Max(0, logprobs) : 0,
        });
        // From process start (runtime start-up, JIT, load, prefill) to the first generated token: what a user waits.
        long jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount() - jitMethodsBefore;
        double jitSeconds = (System.Runtime.JitInfo.GetCompilationTime() - jitTimeBefore).TotalSeconds;
        double firstToken = (DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime).TotalSeconds - result.DecodeTime.TotalSeconds;
        string? text = tokenizer?.Decode(result.Tokens);
        double decodeRate = result.Tokens.Count > 1 ? (result.Tokens.Count - 1) / result.DecodeTime.TotalSeconds : 0;
        double prefillRate = prompt.Length / result.PrefillTime.TotalSeconds;
        if (json)
        {
            var output = new
            {
                model = modelSpec,
                mode = mode.ToString().ToLowerInvariant(),
                kv_cache = backend.KvFormat.ToString().ToLowerInvariant(),
                prompt_ids = prompt,
                ids = result.Tokens,
                text,
                finish_reason = result.FinishReason,
                logprobs = result.LogProbs.Select(l => new
                {
                    token = l.Token,
                    logprob = l.LogProb,
                    top = l.Top.Select(t => new { token = t.Token, logprob = t.LogProb }),
                }),
                prefill_tokens_per_second = prefillRate,
                decode_tokens_per_second = decodeRate,
                load_seconds = loadTime.TotalSeconds,
                first_token_seconds = firstToken,
                jit_methods_during_generation = jitMethods,
                jit_seconds_during_generation = jitSeconds,
            };
            Console.WriteLine(JsonSerializer.Serialize(output));
        }
        else
        {
            Console.WriteLine(text ?? string.Join(",", result.Tokens));
            Console.WriteLine(FormattableString.Invariant(
                $"[{result.Tokens.Count} tokens, {result.FinishReason}; prefill {prompt.Length} tokens at {prefillRate:F1} tokens/s, decode {decodeRate:F1} tokens/s, {mode.ToString().ToLowerInvariant()} mode, {backend.KvFormat.ToString().ToLowerInvariant()} KV cache; first token {firstToken:F2} s after start]"));
        }
        return 0;
    }
}
