using System.Collections.Concurrent;

namespace P2P.InferenceNetwork.Adverts;

/// <summary>Who serves what: the newest valid advert per (peer, model, span), dropped once expired.</summary>
public sealed class InferenceDirectory(TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<(string Peer, string Model, int Start, int End), CapabilityAdvert> _adverts = new();

    /// <summary>Keeps the advert unless a newer one for the same span is already known.</summary>
    public void Add(CapabilityAdvert advert)
    {
        _adverts.AddOrUpdate((advert.PeerId, advert.ModelId, advert.Start, advert.End), advert,
            (_, existing) => existing.IssuedAtMs > advert.IssuedAtMs ? existing : advert);
    }

    /// <summary>Unexpired adverts, for one model when <paramref name="modelId"/> is given.</summary>
    public IReadOnlyList<CapabilityAdvert> Current(string? modelId = null)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var (key, advert) in _adverts)
            if (advert.ExpiresAtMs <= now) _adverts.TryRemove(new KeyValuePair<(string, string, int, int), CapabilityAdvert>(key, advert));
        return [.. _adverts.Values.Where(a => a.ExpiresAtMs > now && (modelId is null || a.ModelId == modelId)).OrderBy(a => a.ModelId).ThenBy(a => a.Start).ThenBy(a => a.PeerId, StringComparer.Ordinal)];
    }

    /// <summary>Finds a model by its id or by its name.</summary>
    public CapabilityAdvert? FindModel(string nameOrId) =>
        Current().FirstOrDefault(a => a.ModelId == nameOrId) ?? Current().FirstOrDefault(a => a.Name == nameOrId);
}
