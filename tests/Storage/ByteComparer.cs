namespace P2P.Storage.Tests;

/// <summary>Orders byte arrays the way LevelDB's default comparator does (unsigned lexicographic).</summary>
public sealed class ByteComparer : IComparer<byte[]>
{
    public static readonly ByteComparer Instance = new();

    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
}
