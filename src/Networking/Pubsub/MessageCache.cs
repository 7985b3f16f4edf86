using P2P.Networking.Identity;
using P2P.Networking.Pubsub.Protos;

namespace P2P.Networking.Pubsub;

/// <summary>The gossipsub message cache: recent messages in sliding heartbeat windows, served to IWANT and advertised by IHAVE.</summary>
public sealed class MessageCache
{
    private sealed class Entry(Message message, string topic)
    {
        public Message Message { get; } = message;
        public string Topic { get; } = topic;
        public Dictionary<PeerId, int> Requests { get; } = [];
    }

    private readonly Dictionary<MessageId, Entry> _messages = [];
    private readonly LinkedList<List<MessageId>> _windows = new();
    private readonly int _gossipWindows;

    public MessageCache(int gossipWindows, int historyWindows)
    {
        if (gossipWindows < 1 || historyWindows < gossipWindows)
        {
            throw new ArgumentOutOfRangeException(nameof(historyWindows), "need 1 ≤ gossip ≤ history windows");
        }
        _gossipWindows = gossipWindows;
        for (var i = 0; i < historyWindows; i++)
        {
            _windows.AddLast(new List<MessageId>());
        }
    }

    public int Count => _messages.Count;

    public void Put(MessageId id, Message message)
    {
        if (_messages.TryAdd(id, new Entry(message, message.Topic)))
        {
            _windows.First!.Value.Add(id);
        }
    }

    public bool TryGet(MessageId id, out Message? message)
    {
        var found = _messages.TryGetValue(id, out var entry);
        message = entry?.Message;
        return found;
    }

    /// <summary>Returns the message and how many times this peer has now asked for it.</summary>
    public Message? GetForPeer(MessageId id, PeerId peer, out int requests)
    {
        requests = 0;
        if (!_messages.TryGetValue(id, out var entry))
        {
            return null;
        }
        requests = entry.Requests.GetValueOrDefault(peer) + 1;
        entry.Requests[peer] = requests;
        return entry.Message;
    }

    /// <summary>Ids of the topic's messages in the gossip windows (newest first).</summary>
    public List<MessageId> GossipIds(string topic)
    {
        var ids = new List<MessageId>();
        var window = _windows.First;
        for (var i = 0; i < _gossipWindows && window is not null; i++, window = window.Next)
        {
            foreach (var id in window.Value)
            {
                if (_messages.TryGetValue(id, out var entry) && entry.Topic == topic)
                {
                    ids.Add(id);
                }
            }
        }
        return ids;
    }

    /// <summary>Starts a new window and forgets the messages of the oldest.</summary>
    public void Shift()
    {
        var oldest = _windows.Last!.Value;
        _windows.RemoveLast();
        foreach (var id in oldest)
        {
            _messages.Remove(id);
        }
        oldest.Clear();
        _windows.AddFirst(oldest);
    }
}
