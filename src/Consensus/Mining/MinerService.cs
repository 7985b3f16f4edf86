using Microsoft.Extensions.Logging;
using P2P.Consensus.Blocks;
using P2P.Consensus.Encoding;
using P2P.Consensus.Gossip;
using P2P.Consensus.Pools;
using P2P.Consensus.Rules;
using P2P.Consensus.State;
using P2P.Work;

namespace P2P.Consensus.Mining;

/// <summary>
/// Mines on the head: builds a template (parent = head, pooled shares, transfers, receipts, verdicts and declarations), searches nonces with the
/// batched <see cref="WorkMiner"/> against the share target, and classifies each hit — a block is submitted and
/// published, a share pooled and published. The head is checked after every batch, so a new head switches the
/// template within one batch; the template is also rebuilt periodically to include new pool items.
/// </summary>
public sealed class MinerService(BlockIntake intake, ChainGossip gossip, SharePool shares, TransferPool transfers, AccountabilityPool accountability, MinerSettings settings, TimeProvider time, ILogger logger)
{
    private readonly object _statsGate = new();
    private readonly Dictionary<string, WorkMiner> _minersBySeed = new(StringComparer.Ordinal);
    private volatile bool _running;
    private volatile byte[] _headSeen = [];
    private long _tried, _sharesFound, _blocksFound, _templates;
    private ulong _templateHeight;
    private int _templateItems;
    private double _hashRate;

    public MinerStats Stats()
    {
        lock (_statsGate)
            return new MinerStats(_running, settings.Threads, _hashRate, _tried, _sharesFound, _blocksFound, _templates, _templateHeight, _templateItems);
    }

    /// <summary>Mines until cancelled, on threads of its own (the work is CPU-bound).</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => Run(cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken cancellationToken)
    {
        _running = true;
        logger.LogInformation("mining on {Threads} thread(s) for {Key}", settings.Threads, Hashing.Short(settings.RewardKey));
        var chain = intake.Chain;
        var rateWindowStart = time.GetTimestamp();
        long rateWindowNonces = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var template = BuildTemplate(chain);
                var header = template.Header;
                _headSeen = header.ParentHash;
                var seed = chain.EpochSeedForChildOf(header.ParentHash);
                var miner = MinerFor(chain, seed);
                var challenge = header.WorkChallenge();
                var shareTarget = ChainMath.TargetBytes(chain.Math.ShareTarget(header.Bits));
                var builtAt = time.GetTimestamp();
                ulong start = (ulong)Random.Shared.NextInt64();
                while (!cancellationToken.IsCancellationRequested)
                {
                    var result = miner.Mine(challenge, shareTarget, start, cancellationToken, settings.NoncesPerBatch);
                    rateWindowNonces += result.NoncesTried;
                    Interlocked.Add(ref _tried, result.NoncesTried);
                    var elapsed = time.GetElapsedTime(rateWindowStart);
                    if (elapsed >= TimeSpan.FromSeconds(2))
                    {
                        lock (_statsGate) _hashRate = rateWindowNonces / elapsed.TotalSeconds;
                        rateWindowStart = time.GetTimestamp();
                        rateWindowNonces = 0;
                    }
                    if (result.Nonce is { } nonce)
                    {
                        var found = header with { Nonce = nonce };
                        if (HeaderWork.Classify(chain.Math, header.Bits, result.WorkHash!) == WorkClass.Block)
                        {
                            PublishBlock(template with { Header = found }, cancellationToken);
                            break;
                        }
                        PublishShare(new Share(found), cancellationToken);
                        start = nonce + 1;
                    }
                    else start += (ulong)result.NoncesTried;
                    if (!chain.Head.Hash.AsSpan().SequenceEqual(header.ParentHash)) break;
                    if (time.GetElapsedTime(builtAt) >= settings.TemplateRefreshInterval) break;
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (Exception e)
        {
            // Mining stops, the node keeps serving: the API then shows the miner not running.
            logger.LogError(e, "the miner stopped: {Reason}", e.Message);
        }
        finally
        {
            _running = false;
        }
    }

    private Block BuildTemplate(ChainState chain)
    {
        var head = chain.Head;
        ulong nextHeight = head.Height + 1;
        var candidates = new List<BodyItem>(shares.Candidates(nextHeight, chain.Math.EpochOf(nextHeight), chain.Genesis.ShareWindow));
        candidates.AddRange(transfers.Candidates());
        candidates.AddRange(accountability.Candidates());
        var template = chain.BuildTemplate(settings.RewardKey, candidates, time.GetUtcNow());
        lock (_statsGate)
        {
            _templates++;
            _templateHeight = template.Header.Height;
            _templateItems = template.Items.Count;
        }
        return template;
    }

    private WorkMiner MinerFor(ChainState chain, byte[] seed)
    {
        var key = Convert.ToHexString(seed);
        if (_minersBySeed.TryGetValue(key, out var miner)) return miner;
        // One epoch's weights at a time: a new seed replaces the old miner (and its per-thread buffers).
        _minersBySeed.Clear();
        var profile = chain.Genesis.Profile;
        miner = new WorkMiner(WorkWeights.For(profile, seed), new WorkMinerOptions
        {
            Threads = settings.Threads,
            BatchSize = profile.Name == "devnet" ? 48 : 6,
            Time = time,
        });
        _minersBySeed[key] = miner;
        return miner;
    }

    private void PublishBlock(Block block, CancellationToken cancellationToken)
    {
        var result = intake.Submit(block);
        if (result.Status != SubmitStatus.Accepted)
        {
            // Our own template: a rejection means the head moved under it, or a bug worth seeing.
            logger.LogWarning("own block at height {Height} not accepted: {Result}", block.Header.Height, result);
            return;
        }
        Interlocked.Increment(ref _blocksFound);
        logger.LogInformation("mined block {Height} {Hash} ({Items} items)", block.Header.Height, Hashing.Short(result.Hash), block.Items.Count);
        Publish(gossip.PublishBlockAsync(block, cancellationToken), "block");
    }

    private void PublishShare(Share share, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _sharesFound);
        shares.Add(share);
        Publish(gossip.PublishShareAsync(share, cancellationToken), "share");
    }

    private void Publish(ValueTask<Networking.Pubsub.PublishResult> publishing, string what)
    {
        try
        {
            // The miner's thread waits for the send to be queued, bounded by the router's own limits.
            publishing.AsTask().Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException e)
        {
            logger.LogDebug(e.InnerException, "publishing a {What} failed", what);
        }
    }
}
