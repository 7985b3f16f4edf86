using P2P.Networking.Identity;

namespace P2P.Simulation;

/// <summary>One request as a simulated server sees it: who sent it, its bytes, and the way back over the link.</summary>
internal sealed class SimulatedExchange(SimulatedNetwork network, PeerId server, PeerId client, byte[] request, Action<SimulatedReply> deliverToClient)
{
    private readonly CancellationTokenSource _aborted = new();

    public PeerId Client => client;

    public byte[] Request => request;

    /// <summary>Fires when the client abandons the exchange (its reset arrived).</summary>
    public CancellationToken Aborted => _aborted.Token;

    /// <summary>Sends a reply to the client over the link (it may be lost on the way).</summary>
    public void Reply(SimulatedReply reply) => network.Send(server, client, () => deliverToClient(reply));

    /// <summary>Called on the server when the client's reset arrives.</summary>
    public void Abort() => _aborted.Cancel();
}
