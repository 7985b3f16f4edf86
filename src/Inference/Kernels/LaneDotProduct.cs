using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace P2P.Inference.Kernels;

/// <summary>
/// Products y[r, o] = Σ_i x[r, i]·w[o, i] built from the <see cref="LaneDot"/> and <see cref="LaneDotWide"/> tiles, so
/// that every element has the bits of <see cref="LaneDot.Dot"/> whatever the tile that computed it.
/// </summary>
internal static unsafe class LaneDotProduct
{
    /// <summary>
    /// The widest weight rows (floats) that one-row products take 8 at a time (<see cref="LaneDot.Tile1x8"/>). On Zen 4,
    /// with the two tiles alternating in one process (2026-11-30): the 8-row tile streamed a 32000 × 288 matrix at
    /// 31–34 GB/s against 28–30 and decoded the stories15M shape 6–8 % faster by the median, while on 768-float rows
    /// it was 7–20 % slower.
    /// </summary>
    public const int Tile1x8MaxCount = 512;

    /// <summary>
    /// Outputs [o0, o1) for all rows of x (row stride ldx) against w (row stride ldw), count terms each, into y (row
    /// stride ldy). packed holds x's rows in pairs (<see cref="LaneDotWide.PackPairs"/>) or is null.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Block(float* x, int ldx, float* packed, int rows, float* w, int ldw, int count, float* y, int ldy, int o0, int o1)
    {
        int o = o0;
        if (LaneDot.HasTiles)
        {
            int stride = LaneDotWide.PairStride(count);
            int groups = (o1 - o0) / 4;
            // Rows outermost: the tile's rows of x stay in L1 while the block's weight rows pass by.
            for (int r = 0; r < rows;)
            {
                int left = rows - r;
                int height = packed == null ? (left >= 3 ? 3 : 1) : left >= 8 && left < 12 ? 8 : left >= 6 ? 6 : left >= 2 ? 2 : 1;
                float* xr = x + (long)r * ldx, yr = y + (long)r * ldy, pr = packed + (long)(r / 2) * stride;
                int g = 0;
                if (height == 1 && count <= Tile1x8MaxCount)
                {
                    // One row of x (decode) with narrow weight rows: tiles of 8 outputs, then at most one of 4.
                    for (; g + 2 <= groups; g += 2)
                    {
                        int og = o0 + 4 * g;
                        LaneDot.Tile1x8(xr, w + (long)og * ldw, ldw, count, yr + og);
                    }
                }
                for (; g < groups; g++)
                {
                    int og = o0 + 4 * g;
                    float* wo = w + (long)og * ldw;
                    switch (height)
                    {
                        case 8: LaneDotWide.Tile8x4(pr, stride, xr, ldx, wo, ldw, count, yr + og, ldy); break;
                        case 6: LaneDotWide.Tile6x4(pr, stride, xr, ldx, wo, ldw, count, yr + og, ldy); break;
                        case 3: LaneDot.Tile3x4(xr, ldx, wo, ldw, count, yr + og, ldy); break;
                        case 2: LaneDotWide.Tile2x4(pr, xr, ldx, wo, ldw, count, yr + og, ldy); break;
                        default: LaneDot.Tile1x4(xr, wo, ldw, count, yr + og); break;
                    }
                }
                r += height;
            }
            o = o0 + 4 * groups;
        }
        for (; o < o1; o++)
        {
            for (int r = 0; r < rows; r++) y[(long)r * ldy + o] = LaneDot.Dot(x + (long)r * ldx, w + (long)o * ldw, count);
        }
    }

    /// <summary>All outputs [0, outputs) on the calling thread, packing x itself when the wide tiles apply.</summary>
    public static void Multiply(float* x, int ldx, int rows, float* w, int ldw, int outputs, int count, float* y, int ldy)
    {
        float* packed = LaneDotWide.IsSupported && rows >= 2 && count >= 8 ? LaneDotWide.PackPairs(x, rows, ldx, count) : null;
        try
        {
            Block(x, ldx, packed, rows, w, ldw, count, y, ldy, 0, outputs);
        }
        finally
        {
            if (packed != null) NativeMemory.AlignedFree(packed);
        }
    }
}
