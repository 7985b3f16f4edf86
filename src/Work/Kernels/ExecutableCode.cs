using System.Runtime.InteropServices;

namespace P2P.Work.Kernels;

/// <summary>
/// Machine code copied into its own read+execute pages (Linux x86-64 only): written while the pages are read+write,
/// then flipped with mprotect, so no page is ever writable and executable at once. Mapped once, never unmapped.
/// </summary>
internal static unsafe partial class ExecutableCode
{
    private const int ProtRead = 1, ProtWrite = 2, ProtExec = 4;
    private const int MapPrivate = 2, MapAnonymous = 0x20;

    /// <summary>The code's address in executable memory, or null where the platform or its policy refuses.</summary>
    public static byte* TryMap(ReadOnlySpan<byte> code)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return null;
        try
        {
            nuint length = (nuint)code.Length;
            void* pages = Mmap(null, length, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
            if (pages == (void*)-1) return null;
            code.CopyTo(new Span<byte>(pages, code.Length));
            if (Mprotect(pages, length, ProtRead | ProtExec) != 0)
            {
                Munmap(pages, length);
                return null;
            }
            return (byte*)pages;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "mmap")]
    private static partial void* Mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "mprotect")]
    private static partial int Mprotect(void* address, nuint length, int protection);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(void* address, nuint length);
}
