using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using P2P.Testing;
using P2P.Work.Kernels;
using P2P.Work.Tests.Support;

namespace P2P.Work.Tests;

/// <summary>docs/work-function.md §5: the AVX512-VNNI kernel's embedded machine code is exactly its assembly source.</summary>
public class Avx512VnniTilesTests
{
    [GnuAssemblerFact]
    public void Section5_EmbeddedTilesAreTheAssembledSource()
    {
        using var dir = new TempDirectory();
        string source = Path.Combine(RepositoryPaths.Root!, "src", "Work", "Kernels", "Avx512VnniTiles.s");
        string obj = Path.Combine(dir.Path, "tiles.o"), bin = Path.Combine(dir.Path, "tiles.bin");
        var (code, _, error) = ChildProcess.Run(GnuAssemblerFactAttribute.Assembler!, ["--64", "-o", obj, source]);
        Assert.True(code == 0, error);
        (code, _, error) = ChildProcess.Run(GnuAssemblerFactAttribute.ObjCopy!, ["-O", "binary", "-j", ".text", obj, bin]);
        Assert.True(code == 0, error);
        Assert.Equal(File.ReadAllBytes(bin), Avx512VnniTiles.Code.ToArray());
    }

    [Fact]
    public void Section5_TheAvx512VnniKernelIsTheBestExactlyWhereTheCpuHasIt()
    {
        bool cpuHasIt = Avx512BW.IsSupported && (X86Base.CpuId(7, 0).Ecx & (1 << 11)) != 0
            && OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;
        var kernel = Int8GemmKernel.FromName("avx512-vnni");
        if (cpuHasIt)
            Assert.Same(Int8GemmKernel.Best, kernel);
        else
            Assert.Null(kernel);
    }
}
