using System.Runtime.Intrinsics.X86;

namespace P2P.Work.Tests.Support;

/// <summary>A fact skipped, with its reason shown, where the CPU (or the runtime's settings) lacks AVX-512BW.</summary>
public sealed class Avx512FactAttribute : FactAttribute
{
    public Avx512FactAttribute()
    {
        if (!Avx512BW.IsSupported)
            Skip = "no AVX-512BW here (CPU, or DOTNET_EnableAVX512=0): the AVX-512 epilogues are not used on this machine";
    }
}
