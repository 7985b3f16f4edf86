namespace P2P.Consensus.Ledger;

/// <summary>Read access to full (prefixed) keys of the ledger state.</summary>
public interface IStateReader
{
    byte[]? Get(byte[] key);

    /// <summary>Every present key starting with <paramref name="prefix"/>, in no particular order.</summary>
    IEnumerable<byte[]> KeysWithPrefix(byte[] prefix);
}
