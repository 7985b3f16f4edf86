using Google.Protobuf;

namespace P2P.Networking.Identity.Protos;

/// <summary>Decodes a key protobuf with a size limit and both required fields present.</summary>
internal static class KeyMessage
{
    /// <exception cref="FormatException">too long, malformed, or lacking Type or Data.</exception>
    public static T Parse<T>(MessageParser<T> parser, ReadOnlySpan<byte> marshalled, int maxLength, string what)
        where T : IMessage<T>, IKeyMessage
    {
        if (marshalled.Length > maxLength)
        {
            throw new FormatException($"{what} protobuf too long");
        }
        T message;
        try
        {
            message = parser.ParseFrom(marshalled);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FormatException($"malformed {what} protobuf", e);
        }
        if (!message.HasType || !message.HasData)
        {
            throw new FormatException($"{what} protobuf lacks Type or Data");
        }
        return message;
    }
}
