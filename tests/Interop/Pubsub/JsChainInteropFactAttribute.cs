using P2P.Testing;

namespace P2P.Interop.Tests.Pubsub;

/// <summary>A fact that needs the js-libp2p peers and a built daemon (src/Daemon in the test's configuration); skipped with the reason otherwise.</summary>
public sealed class JsChainInteropFactAttribute : FactAttribute
{
    public JsChainInteropFactAttribute()
    {
        var reason = JsPubsubPeer.Unavailable ?? (RepositoryPaths.DaemonDll is null ? "p2pd.dll not built (dotnet build src/Daemon in the same configuration)" : null);
        if (reason is not null) Skip = reason;
    }
}
