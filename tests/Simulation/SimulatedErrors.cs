using P2P.Networking.Core;
using P2P.Networking.Identity;
using P2P.Networking.RequestResponse;
using P2P.Networking.Streams;

namespace P2P.Simulation;

/// <summary>The exceptions a client sees for a server's non-answers, as over libp2p streams.</summary>
internal static class SimulatedErrors
{
    public static Exception For(SimulatedReply reply, string protocolId, PeerId server) => reply switch
    {
        SimulatedReply.Refused => new RequestRefusedException($"{protocolId}: {server} closed the stream without answering (busy or not serving)"),
        SimulatedReply.NotSupported => new ProtocolNotSupportedException([protocolId]),
        SimulatedReply.Reset reset => new IOException($"{protocolId}: stream reset by {server} ({reset.Reason})"),
        _ => new ProtocolViolationException($"{protocolId}: unexpected {reply.GetType().Name} from {server}"),
    };
}
