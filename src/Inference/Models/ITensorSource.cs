namespace P2P.Inference.Models;

/// <summary>Where named weight tensors come from: a checkpoint on disk, or a seed.</summary>
public unsafe interface ITensorSource : IDisposable
{
    /// <summary>Human-readable origin for error messages ("checkpoint /path", "seed 42").</summary>
    string Description { get; }

    bool Contains(string name);

    /// <summary>Writes the tensor as row-major float32; throws <see cref="ModelFormatException"/> naming the tensor on any mismatch.</summary>
    void Read(string name, int[] shape, float* destination);
}
