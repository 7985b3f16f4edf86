using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using P2P.Accountability;
using P2P.Accountability.Declarations;
using P2P.Accountability.Health;
using P2P.Accountability.Validation;
using P2P.Daemon.Chain;
using P2P.Daemon.Gateway;
using P2P.InferenceNetwork.Cheats;
using P2P.Networking.Core;
using P2P.Networking.Identity;
using P2P.Networking.RequestResponse;

namespace P2P.Daemon.Accountability;

/// <summary>
/// Serves <c>/p2pd/validate/1</c> from the executor's records and runs the <see cref="AccountabilityLoop"/> once the
/// served models are loaded (the gateway's router exists): declarations, validation, routing penalties.
/// </summary>
public sealed class AccountabilityHostService(InferenceRuntime runtime, AccountabilityRuntime accountability, ChainNode node, IP2PHost host,
    TimeProvider time, ILoggerFactory loggers, Ed25519PrivateKey key, AccountabilityOptions options) : IHostedService
{
    private readonly ILogger _log = loggers.CreateLogger("P2P.Accountability");
    private readonly CancellationTokenSource _stop = new();
    private IDisposable? _serving;
    private ReexecutionShards? _shards;
    private Task? _loop;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Cheat != ExecutorCheat.None)
            _log.LogWarning("UNSAFE TEST CHEAT '{Cheat}' IS ON: this node lies on purpose and will be caught and forfeit its rewards", options.UnsafeTestCheat);
        var protocol = new HostRequestResponseFactory(host, loggers).Create(ValidateProtocol.Definition());
        _serving = protocol.Serve(ValidateProtocol.Handler(accountability.Records));
        // On the thread pool: the loop's first pass (loading re-execution shards, convictions, re-running assigned
        // receipts) is synchronous work that would otherwise hold up the host's start, and with it the HTTP API.
        _loop = Task.Run(() => RunAsync(protocol, _stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task RunAsync(IRequestResponse<ValidateRequest, ValidateResponse> protocol, CancellationToken cancellationToken)
    {
        // The gateway loads the served models in its own start; the validator needs them.
        while (runtime.Router is null)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(options.PollMilliseconds), time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        var chain = node.State;
        var catalog = runtime.Catalog;
        ServiceDeclarer? declarer = null;
        ReceiptValidator? validator = null;
        if (catalog.Models.Count > 0)
        {
            declarer = new ServiceDeclarer(chain, key, catalog, async (d, ct) => await node.Gossip.PublishDeclarationAsync(d, ct).ConfigureAwait(false));
            _shards = new ReexecutionShards(catalog, options.ValidatorThreads);
            validator = new ReceiptValidator(chain, key, protocol, new SpanVerifier(_shards), async (v, ct) => await node.Gossip.PublishVerdictAsync(v, ct).ConfigureAwait(false),
                new ValidatorOptions { LieInvalid = options.Cheat == ExecutorCheat.LieInvalid }, _log);
            accountability.Validator = validator.Stats;
        }
        var loop = new AccountabilityLoop(() => chain.Head.Hash, declarer, validator, new ConvictionTracker(chain, accountability.Weights),
            TimeSpan.FromMilliseconds(options.PollMilliseconds), time, _log, accountability.Republisher);
        await loop.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _serving?.Dispose();
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null) await _loop.ConfigureAwait(false);
        _shards?.Dispose();
    }
}
