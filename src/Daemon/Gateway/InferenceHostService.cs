using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using P2P.Daemon.Configuration;
using P2P.Inference.Models;
using P2P.InferenceNetwork.Adverts;
using P2P.InferenceNetwork.Protocol;
using P2P.InferenceNetwork.Routing;
using P2P.InferenceNetwork.Serving;
using P2P.InferenceNetwork.Tasks;
using P2P.Networking.Core;
using P2P.Networking.Pubsub;
using P2P.Networking.RequestResponse;

namespace P2P.Daemon.Gateway;

/// <summary>
/// Loads the served models at start-up (with their throughput measurement), serves <c>/p2pd/infer/1</c>, publishes and
/// collects capability adverts, and builds the router the gateway uses.
/// </summary>
public sealed class InferenceHostService(InferenceRuntime runtime, InferenceOptions options, DaemonSettings settings, IP2PHost host, IPubSub pubsub,
    IExecutorWeights weights, ILoggerFactory loggers) : IHostedService
{
    private readonly ILogger _log = loggers.CreateLogger("P2P.Daemon.Gateway");
    private IDisposable? _serving;
    private AdvertService? _adverts;
    private readonly CancellationTokenSource _stop = new();
    private Task? _receivingTasks;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var serving = new ServingOptions
        {
            Models = options.Enabled
                ? [.. options.Models.Select(m => new ServedModelSpec(options.ResolveModel(settings.DataDirectory, m.Model), ServedModelSpec.ParseLayers(m.Layers)))]
                : [],
            Mode = options.Mode,
            Threads = options.Threads,
            MaxConcurrentSessions = options.MaxConcurrentSessions,
            KvCacheBytes = (long)options.KvCacheMegabytes << 20,
            KvFormat = options.KvFormat,
        };
        runtime.Catalog = await Task.Run(() => ModelCatalog.Load(serving), cancellationToken).ConfigureAwait(false);
        foreach (var model in runtime.Catalog.Models)
            _log.LogInformation("serving {Model} layers {Range} as {ModelId} ({Mode}, {KvFormat} KV cache, {Rate:F1} tokens/s measured)",
                model.Spec, model.Range, model.ModelId[..16], options.Mode, options.KvFormat, model.TokensPerSecond);

        var timeout = TimeSpan.FromSeconds(options.ExecutorTimeoutSeconds);
        var protocol = new HostRequestResponseFactory(host, loggers).CreateStreaming(InferProtocol.Definition(timeout, timeout));
        if (runtime.Catalog.Models.Count > 0)
        {
            runtime.Executor = new InferExecutor(runtime.Catalog, host.Time, log: _log, accounting: runtime.Accounting);
            _serving = protocol.Serve(runtime.Executor.HandleAsync);
        }
        var health = new PeerHealth(host.Time);
        runtime.Router = new InferenceRouter(runtime.Directory, new ExecutorChannel(protocol, host.LocalPeerId, runtime.Executor),
            new ExecutorPicker(weights, health, new Random()), health, _log, host.Time);
        _adverts = new AdvertService(host, pubsub, runtime.Catalog, runtime.Directory, TimeSpan.FromSeconds(options.AdvertIntervalSeconds), _log);
        _adverts.Start();
        runtime.Tasks = new TaskAnnouncer(pubsub, host.PrivateKey, _log);
        _receivingTasks = runtime.Tasks.ReceiveAsync(task =>
        {
            runtime.SeenTasks.Enqueue(task);
            while (runtime.SeenTasks.Count > 100) runtime.SeenTasks.TryDequeue(out _);
        }, _stop.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _serving?.Dispose();
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_receivingTasks is not null) await _receivingTasks.ConfigureAwait(false);
        if (_adverts is not null) await _adverts.DisposeAsync().ConfigureAwait(false);
        runtime.Executor?.Dispose();
        runtime.Catalog.Dispose();
    }
}
