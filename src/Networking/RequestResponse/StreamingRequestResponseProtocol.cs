using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using P2P.Networking.Core;
using P2P.Networking.Identity;
using P2P.Networking.Streams;

namespace P2P.Networking.RequestResponse;

/// <summary>
/// A typed streaming protocol over libp2p streams: one stream per exchange; the request is one uvarint-length-prefixed
/// message and a half-close; the server answers with the byte <see cref="Accepted"/>, then up to
/// <see cref="RequestResponseOptions.MaxResponseMessages"/> length-prefixed responses, then a half-close. A server
/// over its concurrency limits half-closes before the first byte, which the client reports as
/// <see cref="RequestRefusedException"/>.
/// </summary>
public sealed class StreamingRequestResponseProtocol<TRequest, TResponse>(IP2PHost host, RequestResponseDefinition<TRequest, TResponse> definition, ILogger? logger = null)
    : RequestResponseEndpoint<TRequest, TResponse>(host, definition, logger), IStreamingRequestResponse<TRequest, TResponse>
{
    /// <summary>First byte of an accepted answer (so an empty answer differs from a refusal).</summary>
    public const byte Accepted = 0x00;

    public IDisposable Serve(StreamingRequestHandler<TRequest, TResponse> handler) =>
        Register(async (stream, request, _, cancellationToken) =>
        {
            // The request's deadline ends with the request: a long answer is bounded by the idle timeout per message.
            stream.Output.GetSpan(1)[0] = Accepted;
            stream.Output.Advance(1);
            var sent = 0;
            await foreach (var response in handler(stream.RemotePeer, request, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (++sent > Options.MaxResponseMessages)
                {
                    throw new InvalidOperationException($"{ProtocolId}: handler produced more than {Options.MaxResponseMessages} responses");
                }
                var encoded = EncodeResponse(response);
                using var idle = new Deadline(Host.Time, Options.StreamIdleTimeout, cancellationToken);
                var flushed = await LengthPrefixed.WriteAndFlushAsync(stream.Output, encoded, idle.Token).ConfigureAwait(false);
                if (flushed.IsCompleted)
                {
                    return; // the client stopped reading
                }
            }
            await stream.CloseWriteAsync(cancellationToken).ConfigureAwait(false);
        });

    public async IAsyncEnumerable<TResponse> RequestAsync(PeerId peer, TRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var encoded = EncodeRequest(request);
        var started = Host.Time.GetTimestamp();
        var stream = await OpenAsync(peer, encoded, cancellationToken).ConfigureAwait(false);
        var completed = false;
        try
        {
            for (var received = 0; ; received++)
            {
                // The first response must come within the whole timeout (counted from the request), later ones within the idle timeout.
                var limit = received == 0 ? Options.Timeout - Host.Time.GetElapsedTime(started) : Options.StreamIdleTimeout;
                var next = await ReadNextAsync(stream, peer, limit, cancellationToken).ConfigureAwait(false);
                if (next is null)
                {
                    completed = true;
                    yield break;
                }
                if (received == Options.MaxResponseMessages)
                {
                    throw new ProtocolViolationException($"{ProtocolId}: {peer} sent more than {Options.MaxResponseMessages} responses");
                }
                yield return DecodeResponse(next);
            }
        }
        finally
        {
            if (!completed)
            {
                stream.Reset(); // the client gave up early: tell the server to stop producing
            }
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<IStream> OpenAsync(PeerId peer, ReadOnlyMemory<byte> encoded, CancellationToken cancellationToken)
    {
        using var deadline = new Deadline(Host.Time, Options.Timeout, cancellationToken);
        IStream? stream = null;
        try
        {
            stream = await Host.OpenStreamAsync(peer, [ProtocolId], deadline.Token).ConfigureAwait(false);
            await LengthPrefixed.WriteAsync(stream.Output, encoded, deadline.Token).ConfigureAwait(false);
            await stream.CloseWriteAsync(deadline.Token).ConfigureAwait(false);
            var marker = await ReadMarkerAsync(stream.Input, deadline.Token).ConfigureAwait(false);
            if (marker is null)
            {
                throw new RequestRefusedException($"{ProtocolId}: {peer} closed the stream without answering (busy or not serving)");
            }
            if (marker != Accepted)
            {
                throw new ProtocolViolationException($"{ProtocolId}: {peer} answered with status byte {marker}");
            }
            return stream;
        }
        catch (Exception e)
        {
            if (stream is not null)
            {
                stream.Reset();
                await stream.DisposeAsync().ConfigureAwait(false);
            }
            if (e is OperationCanceledException && deadline.Expired && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{ProtocolId}: no answer from {peer} within {Options.Timeout}", e);
            }
            throw;
        }
    }

    private async Task<byte[]?> ReadNextAsync(IStream stream, PeerId peer, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var deadline = new Deadline(Host.Time, limit > TimeSpan.Zero ? limit : TimeSpan.Zero, cancellationToken);
        try
        {
            return await LengthPrefixed.ReadAsync(stream.Input, Definition.Responses.MaxBytes, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (deadline.Expired && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{ProtocolId}: {peer} sent no response within {limit}", e);
        }
    }

    private static async Task<byte?> ReadMarkerAsync(System.IO.Pipelines.PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (!result.Buffer.IsEmpty)
            {
                var marker = result.Buffer.FirstSpan[0];
                input.AdvanceTo(result.Buffer.GetPosition(1));
                return marker;
            }
            input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                return null;
            }
        }
    }
}
