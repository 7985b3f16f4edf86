using System.Diagnostics.Metrics;

namespace P2P.InferenceNetwork.Metrics;

/// <summary>
/// The meter <c>P2P.InferenceNetwork</c>: on the gateway, requests routed through the network, their outcome, the tokens
/// they streamed, time to the first token and whole-request latency; on the executor, <c>/p2pd/infer/1</c> requests
/// served by kind and outcome and the tokens generated. Tags are bounded: request kinds, error codes, fixed outcomes.
/// </summary>
public static class InferenceNetworkMetrics
{
    public const string MeterName = "P2P.InferenceNetwork";

    public const string RequestsName = "p2p.gateway.requests";
    public const string TokensName = "p2p.gateway.tokens";
    public const string TimeToFirstTokenName = "p2p.gateway.time_to_first_token";
    public const string DurationName = "p2p.gateway.request.duration";
    public const string ExecutorRequestsName = "p2p.executor.requests";
    public const string ExecutorTokensName = "p2p.executor.tokens";

    private static readonly double[] LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Requests = Meter.CreateCounter<long>(RequestsName, "{request}", "Generations routed by this gateway (tag outcome: ok, error, cancelled)");
    private static readonly Counter<long> Tokens = Meter.CreateCounter<long>(TokensName, "{token}", "Tokens streamed back to clients");
    private static readonly Histogram<double> TimeToFirstToken = Meter.CreateHistogram<double>(TimeToFirstTokenName, "s", "From routing the request to its first token",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(DurationName, "s", "From routing the request to its last token or failure (tag outcome)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });

    private static readonly Counter<long> ExecutorRequests = Meter.CreateCounter<long>(ExecutorRequestsName, "{request}", "/p2pd/infer/1 requests served (tags kind: generate, step, close, other; outcome: ok, cancelled or the error code)");
    private static readonly Counter<long> ExecutorTokens = Meter.CreateCounter<long>(ExecutorTokensName, "{token}", "Tokens this node generated for whole-model requests");

    internal static void FirstToken(TimeSpan elapsed) => TimeToFirstToken.Record(elapsed.TotalSeconds);

    internal static void Completed(string outcome, long tokens, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        Requests.Add(1, tag);
        if (tokens > 0) Tokens.Add(tokens);
        Duration.Record(elapsed.TotalSeconds, tag);
    }

    /// <param name="kind">a known request kind or "other": the caller bounds it, since it comes from the remote peer.</param>
    internal static void Executed(string kind, string outcome, long tokens)
    {
        ExecutorRequests.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", outcome));
        if (tokens > 0) ExecutorTokens.Add(tokens);
    }
}
