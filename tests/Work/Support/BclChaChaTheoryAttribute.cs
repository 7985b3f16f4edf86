using System.Security.Cryptography;

namespace P2P.Work.Tests.Support;

/// <summary>A theory skipped, with its reason shown, where the platform's crypto library lacks ChaCha20-Poly1305.</summary>
public sealed class BclChaChaTheoryAttribute : TheoryAttribute
{
    public BclChaChaTheoryAttribute()
    {
        if (!ChaCha20Poly1305.IsSupported)
            Skip = "ChaCha20-Poly1305 is not supported by this platform's crypto library";
    }
}
