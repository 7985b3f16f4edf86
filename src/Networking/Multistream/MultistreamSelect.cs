using System.Buffers;
using System.IO.Pipelines;
using P2P.Networking.Core;
using P2P.Networking.Streams;

namespace P2P.Networking.Multistream;

/// <summary>multistream-select 1.0 negotiation for the dialer and the listener side of a pipe.</summary>
public static class MultistreamSelect
{
    /// <summary>Proposes <paramref name="protocols"/> in order; returns the first one the listener accepts.</summary>
    /// <exception cref="ProtocolNotSupportedException">the listener answered <c>na</c> to all.</exception>
    /// <exception cref="ProtocolViolationException">the listener sent something else.</exception>
    public static async Task<string> SelectAsync(IDuplexPipe pipe, IReadOnlyList<string> protocols, CancellationToken cancellationToken)
    {
        if (protocols.Count == 0)
        {
            throw new ArgumentException("no protocol to propose", nameof(protocols));
        }
        // Header and first proposal in one write: the listener may stay silent until it reads.
        MultistreamMessage.Write(pipe.Output, MultistreamMessage.Header);
        MultistreamMessage.Write(pipe.Output, protocols[0]);
        await pipe.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
        var header = await ReadAsync(pipe.Input, cancellationToken).ConfigureAwait(false);
        if (header != MultistreamMessage.Header)
        {
            throw new ProtocolViolationException($"expected the multistream header, got '{Printable(header)}'");
        }
        for (var i = 0; i < protocols.Count; i++)
        {
            if (i > 0)
            {
                MultistreamMessage.Write(pipe.Output, protocols[i]);
                await pipe.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            var answer = await ReadAsync(pipe.Input, cancellationToken).ConfigureAwait(false);
            if (answer == protocols[i])
            {
                return answer;
            }
            if (answer != MultistreamMessage.NotAvailable)
            {
                throw new ProtocolViolationException($"proposed '{protocols[i]}', got '{Printable(answer)}'");
            }
        }
        throw new ProtocolNotSupportedException(protocols);
    }

    /// <summary>Answers proposals until one is supported; returns it.</summary>
    /// <exception cref="ProtocolViolationException">bad header, oversized line or the dialer gave up.</exception>
    public static async Task<string> ListenAsync(IDuplexPipe pipe, Func<string, bool> isSupported, Func<IEnumerable<string>> listProtocols, CancellationToken cancellationToken)
    {
        MultistreamMessage.Write(pipe.Output, MultistreamMessage.Header);
        await pipe.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
        var header = await ReadAsync(pipe.Input, cancellationToken).ConfigureAwait(false);
        if (header != MultistreamMessage.Header)
        {
            throw new ProtocolViolationException($"expected the multistream header, got '{Printable(header)}'");
        }
        for (var attempts = 0; attempts < MaxProposals; attempts++)
        {
            var proposal = await ReadAsync(pipe.Input, cancellationToken).ConfigureAwait(false);
            if (proposal == MultistreamMessage.List)
            {
                pipe.Output.Write(MultistreamMessage.EncodeList(listProtocols()));
            }
            else if (proposal != MultistreamMessage.Header && isSupported(proposal))
            {
                MultistreamMessage.Write(pipe.Output, proposal);
                await pipe.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
                return proposal;
            }
            else
            {
                MultistreamMessage.Write(pipe.Output, MultistreamMessage.NotAvailable);
            }
            await pipe.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        throw new ProtocolViolationException($"more than {MaxProposals} protocol proposals");
    }

    private const int MaxProposals = 64;

    private static async ValueTask<string> ReadAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (MultistreamMessage.TryParse(ref buffer, out var text))
            {
                reader.AdvanceTo(buffer.Start);
                return text;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                throw new ProtocolViolationException("stream closed during protocol negotiation");
            }
        }
    }

    private static string Printable(string text) => text.Length > 64 ? text[..64] + "…" : text;
}
