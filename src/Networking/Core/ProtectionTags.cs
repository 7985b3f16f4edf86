using P2P.Networking.Identity;

namespace P2P.Networking.Core;

/// <summary>
/// The protection part of <see cref="IPeerReputation"/>: a peer is protected while it holds at least one tag, so
/// independent protectors (bootstrap, sync, a test) can each add and remove their own. Thread-safe.
/// </summary>
public sealed class ProtectionTags
{
    private readonly Lock _gate = new();
    private readonly Dictionary<PeerId, HashSet<string>> _tags = [];

    public void Protect(PeerId peer, string tag)
    {
        lock (_gate)
        {
            if (!_tags.TryGetValue(peer, out var tags))
            {
                tags = new HashSet<string>(StringComparer.Ordinal);
                _tags[peer] = tags;
            }
            tags.Add(tag);
        }
    }

    /// <summary>Removes one tag; false when the peer did not hold it.</summary>
    public bool Unprotect(PeerId peer, string tag)
    {
        lock (_gate)
        {
            if (!_tags.TryGetValue(peer, out var tags) || !tags.Remove(tag))
            {
                return false;
            }
            if (tags.Count == 0)
            {
                _tags.Remove(peer);
            }
            return true;
        }
    }

    public bool IsProtected(PeerId peer)
    {
        lock (_gate)
        {
            return _tags.ContainsKey(peer);
        }
    }
}
