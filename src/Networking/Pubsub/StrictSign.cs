using Google.Protobuf;
using P2P.Networking.Identity;
using P2P.Networking.Pubsub.Protos;

namespace P2P.Networking.Pubsub;

/// <summary>The StrictSign policy: every message carries from, seqno, signature and a verifiable key.</summary>
public static class StrictSign
{
    private static readonly byte[] Prefix = System.Text.Encoding.ASCII.GetBytes("libp2p-pubsub:");

    /// <summary><c>"libp2p-pubsub:" ‖ protobuf(Message{from, data, seqno, topic})</c>, re-encoded from the fields.</summary>
    public static byte[] SignatureInput(Message message)
    {
        var unsigned = new Message
        {
            From = message.From,
            Data = message.Data,
            Seqno = message.Seqno,
            Topic = message.Topic,
        };
        var body = unsigned.ToByteArray();
        var input = new byte[Prefix.Length + body.Length];
        Prefix.CopyTo(input, 0);
        body.CopyTo(input, Prefix.Length);
        return input;
    }

    /// <summary>Fills in signature and key for a message whose from, data, seqno and topic are set.</summary>
    public static void Sign(Message message, IPubsubIdentity identity)
    {
        message.Signature = ByteString.CopyFrom(identity.Sign(SignatureInput(message)));
        message.Key = ByteString.CopyFrom(identity.MarshalledPublicKey);
    }

    /// <summary>True when the message is fully signed by the key its from field names.</summary>
    public static bool Verify(Message message)
    {
        if (!message.HasFrom || !message.HasSeqno || !message.HasSignature || !message.HasTopic || message.Seqno.Length != 8)
        {
            return false;
        }
        var marshalledKey = MessageIds.PublicKeyOf(message);
        if (marshalledKey is null)
        {
            return false;
        }
        PeerId from;
        try
        {
            from = PeerId.FromBytes(message.From.Span);
        }
        catch (FormatException)
        {
            return false;
        }
        if (from != PeerId.FromPublicKey(marshalledKey))
        {
            return false;
        }
        PublicKey key;
        try
        {
            key = PublicKey.Unmarshal(marshalledKey);
        }
        catch (FormatException)
        {
            return false;
        }
        return key.Verify(SignatureInput(message), message.Signature.Span);
    }
}
