namespace P2P.Work;

/// <summary>The softmax exponent table: E[0] = 2^15, E[i] = (E[i−1]·62757) >> 16, 256 entries (docs/work-function.md §2.5).</summary>
public static class ExpTable
{
    public const int Size = 256;
    public const int Ratio = 62757;

    internal static readonly int[] Table = Build();

    public static IReadOnlyList<int> Values => Table;

    private static int[] Build()
    {
        var table = new int[Size];
        table[0] = 1 << 15;
        for (int i = 1; i < Size; i++)
            table[i] = (int)(((long)table[i - 1] * Ratio) >> 16);
        return table;
    }
}
