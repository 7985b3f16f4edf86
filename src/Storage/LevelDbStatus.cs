using System.Runtime.InteropServices;
using P2P.Storage.Native;

namespace P2P.Storage;

/// <summary>Turns a LevelDB <c>errptr</c> string into a typed exception, freeing the string; the native layer only passes it up.</summary>
internal static unsafe class LevelDbStatus
{
    internal static void ThrowIfError(nint error, string? path = null)
    {
        if (error == 0) return;
        var message = TakeString((byte*)error) ?? "unknown LevelDB error";
        throw LevelDbException.FromStatus(message, path);
    }

    /// <summary>Copies a malloc'd, NUL-terminated LevelDB string and frees it with <c>leveldb_free</c>.</summary>
    internal static string? TakeString(byte* native)
    {
        if (native == null) return null;
        try
        {
            return Marshal.PtrToStringUTF8((nint)native);
        }
        finally
        {
            LevelDbNative.Free(native);
        }
    }
}
