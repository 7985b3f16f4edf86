using P2P.Networking.Identity;
using P2P.Networking.Pubsub.Protos;

namespace P2P.Networking.Pubsub;

/// <summary>Message id functions: js-libp2p's default (marshalled PublicKey ‖ seqno) and go's (from ‖ seqno).</summary>
public static class MessageIds
{
    /// <summary>js-libp2p's StrictSign default; IHAVE/IWANT only match js peers when this is used.</summary>
    public static MessageId JsDefault(Message message)
    {
        var key = PublicKeyOf(message) ?? throw new FormatException("message has no public key");
        var seqno = message.Seqno.Span;
        var id = new byte[key.Length + seqno.Length];
        key.CopyTo(id, 0);
        seqno.CopyTo(id.AsSpan(key.Length));
        return new MessageId(id);
    }

    /// <summary>go-libp2p's default: the from field followed by the seqno.</summary>
    public static MessageId FromAndSeqno(Message message)
    {
        var from = message.From.Span;
        var seqno = message.Seqno.Span;
        var id = new byte[from.Length + seqno.Length];
        from.CopyTo(id);
        seqno.CopyTo(id.AsSpan(from.Length));
        return new MessageId(id);
    }

    /// <summary>The marshalled public key: the key field, else the key inlined in an identity-multihash from.</summary>
    internal static byte[]? PublicKeyOf(Message message)
    {
        if (message.HasKey && message.Key.Length > 0)
        {
            return message.Key.ToByteArray();
        }
        if (!message.HasFrom)
        {
            return null;
        }
        try
        {
            return PeerId.FromBytes(message.From.Span).TryGetInlinePublicKey();
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
