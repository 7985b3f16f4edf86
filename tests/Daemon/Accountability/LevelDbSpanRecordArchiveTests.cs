using Microsoft.Extensions.Logging.Abstractions;
using P2P.Daemon.Accountability;
using P2P.Daemon.Tests.Support;
using P2P.InferenceNetwork.Receipts;
using P2P.Storage;

namespace P2P.Daemon.Tests.Accountability;

/// <summary>Executor records survive closing and reopening the node's database; a damaged one is dropped, not fatal.</summary>
public sealed class LevelDbSpanRecordArchiveTests
{
    [Fact]
    public void Records_SurviveReopeningTheDatabase_AndADamagedOneIsDropped()
    {
        using var temp = new TempDirectory();
        var path = temp.Sub("db");
        var record = new SpanRecord
        {
            ReceiptId = [.. Enumerable.Range(0, 32).Select(i => (byte)i)],
            Receipt = [1, 2, 3],
            ModelId = "model",
            Start = 0,
            End = 6,
            InputKind = PayloadKind.Tokens,
            OutputKind = PayloadKind.Tokens,
            Sampling = new SamplingParameters { Temperature = 0.7f, TopP = 0.9f, Seed = 42, MaxTokens = 16, StopTokens = [2] },
            Inputs = [new DataChunk(3, [9, 8, 7])],
            Outputs = [new DataChunk(1, [6])],
            Expires = DateTimeOffset.FromUnixTimeMilliseconds(1_900_000_000_123),
        };
        using (var database = LevelDatabase.Open(path))
        {
            var archive = new LevelDbSpanRecordArchive(new RecordStore(database), NullLogger.Instance);
            archive.Save(record);
            database.Put(RecordKey.For(RecordFamilies.ExecutorRecords, new byte[32]), "{not json"u8);
        }
        using (var database = LevelDatabase.Open(path))
        {
            var archive = new LevelDbSpanRecordArchive(new RecordStore(database), NullLogger.Instance);
            var loaded = Assert.Single(archive.LoadAll());
            Assert.Equal(record.ReceiptId, loaded.ReceiptId);
            Assert.Equal(record.Receipt, loaded.Receipt);
            Assert.Equal(record.Sampling, loaded.Sampling! with { StopTokens = record.Sampling!.StopTokens });
            Assert.Equal(record.Sampling.StopTokens, loaded.Sampling!.StopTokens);
            Assert.Equal((record.ModelId, record.Start, record.End, record.InputKind, record.OutputKind, record.Expires),
                (loaded.ModelId, loaded.Start, loaded.End, loaded.InputKind, loaded.OutputKind, loaded.Expires));
            Assert.Equal(record.Inputs[0].Bytes, loaded.Inputs[0].Bytes);
            Assert.Equal(record.Outputs[0].Rows, loaded.Outputs[0].Rows);
            Assert.Null(database.Get(RecordKey.For(RecordFamilies.ExecutorRecords, new byte[32])));
            archive.Delete(record.ReceiptId);
            Assert.Empty(archive.LoadAll());
        }
    }
}
