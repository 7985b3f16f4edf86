namespace P2P.Interop.Tests.Pubsub;

/// <summary>A fact that is skipped, with the reason, when the js-libp2p peer cannot run here.</summary>
public sealed class JsInteropFactAttribute : FactAttribute
{
    public JsInteropFactAttribute()
    {
        if (JsPubsubPeer.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}
