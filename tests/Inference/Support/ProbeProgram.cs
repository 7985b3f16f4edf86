using P2P.Inference.Kernels;
using P2P.Inference.Models;

namespace P2P.Inference.Tests.Support;

/// <summary>Entry point used only in child processes: prints hashes that the tests compare with in-process results.</summary>
public static class ProbeProgram
{
    public static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "hash":
                var (logits, hidden, _) = DeterminismProbe.Run(args[1], int.Parse(args[2]));
                Console.WriteLine($"{CpuBackend.KernelPath} {logits} {hidden}");
                return 0;
            case "weights":
                using (var weights = ModelLoader.Load(args[1]))
                    Console.WriteLine(Convert.ToHexString(weights.ComputeHash()));
                return 0;
            case "math":
                Console.WriteLine(Kernels.DeterministicMathTests.GridHash());
                return 0;
            case "openblas":
                Console.WriteLine(Kernels.OpenBlasThreadTests.Report());
                return 0;
            case "half":
                Console.WriteLine($"{HalfPrecision.Path} {Kernels.HalfPrecisionTests.Digest()}");
                return 0;
            case "halfattention":
                Console.WriteLine($"{HalfPrecision.Path} {Kernels.HalfAttentionTests.WorstRelativeError()}");
                return 0;
            case "logsoftmax":
                Console.WriteLine(Generation.LogSoftmaxTests.Digest());
                return 0;
            default:
                Console.Error.WriteLine("usage: hash <model> <threads> | weights <model> | math | logsoftmax | openblas | half | halfattention");
                return 2;
        }
    }
}
