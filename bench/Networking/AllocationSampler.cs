using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace P2P.Bench.Networking;

/// <summary>Counts the runtime's allocation-tick samples (one per ~100 KB allocated) by type, to find who allocates per frame.</summary>
internal sealed class AllocationSampler : EventListener
{
    private readonly ConcurrentDictionary<string, int> _samples = new();

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword: AllocationTick
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is not null && e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) && e.Payload is { } payload)
        {
            var index = e.PayloadNames!.IndexOf("TypeName");
            var type = index >= 0 ? payload[index]?.ToString() ?? "?" : "?";
            var sizeIndex = e.PayloadNames!.IndexOf("ObjectSize");
            if (sizeIndex >= 0)
            {
                type += $" ({payload[sizeIndex]} B)";
            }
            _samples.AddOrUpdate(type, 1, (_, n) => n + 1);
        }
    }

    public void Print()
    {
        foreach (var (type, count) in _samples.ToArray().OrderByDescending(p => p.Value).Take(8))
        {
            Console.WriteLine($"  allocation samples: {count,5} × {type}");
        }
        _samples.Clear();
    }
}
