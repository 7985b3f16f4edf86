namespace P2P.Interop;

/// <summary>A fact that is skipped, with the reason, when the js-libp2p peers are not installed.</summary>
public sealed class JsFactAttribute : FactAttribute
{
    public JsFactAttribute()
    {
        if (JsPeer.FindJsDirectory() is null)
        {
            Skip = "js-libp2p peers not installed (run tests/Interop/js/setup.sh; needs npm)";
        }
    }
}
