using P2P.Testing;
using P2P.Work.Tests.Support;

namespace P2P.Work.Tests;

/// <summary>docs/work-function.md §6: the independent Python reference (reference/work1.py) reproduces the golden vectors.</summary>
public class PythonReferenceTests
{
    [PythonReferenceFact]
    public void Section6_IndependentPythonReferenceAgreesOnDevnetAndStandardVectors()
    {
        foreach (var v in GoldenVector.All.Where(v => v.Profile != "large"))
        {
            var (code, output, error) = ChildProcess.Run(PythonReferenceFactAttribute.Interpreter!,
                [RepositoryPaths.PythonReference!, v.Profile, v.SeedHex, v.ChallengeHex, v.Nonce.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            Assert.True(code == 0, error);
            Assert.Equal($"{v.ActivationsHashHex} {v.WorkHashHex}", output.Trim());
        }
    }
}
