namespace P2P.Storage;

/// <summary>A kind of record stored under its own one-byte key prefix, so each family is a contiguous, scannable key range.</summary>
public readonly record struct RecordFamily(byte Prefix, string Name)
{
    public override string ToString() => $"{Name} (0x{Prefix:x2})";
}
