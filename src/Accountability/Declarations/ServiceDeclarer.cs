using P2P.Consensus.Blocks;
using P2P.Consensus.State;
using P2P.InferenceNetwork.Serving;
using P2P.Networking.Identity;

namespace P2P.Accountability.Declarations;

/// <summary>Declares each model span this node serves once per epoch (the lottery draws validators among declared nodes).</summary>
public sealed class ServiceDeclarer(ChainState chain, Ed25519PrivateKey key, ModelCatalog catalog, Func<ServiceDeclaration, CancellationToken, ValueTask> publish)
{
    private ulong? _declared;

    /// <summary>Publishes this epoch's declarations if they are not out yet; returns how many it published.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        ulong epoch = chain.Math.EpochOf(chain.Head.Height + 1);
        if (_declared == epoch) return 0;
        var spans = catalog.Models.Select(m => (m.ModelId, m.Range.Start, m.Range.End)).Distinct().ToList();
        foreach (var (modelId, start, end) in spans)
            await publish(ServiceDeclaration.Create(key, chain.ChainId, Convert.FromHexString(modelId), (uint)start, (uint)end, epoch), cancellationToken).ConfigureAwait(false);
        _declared = epoch;
        return spans.Count;
    }
}
