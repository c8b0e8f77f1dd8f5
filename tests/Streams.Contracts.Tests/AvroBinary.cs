using Avro.IO;
using Avro.Specific;

namespace Streams.Contracts.Tests;

/// <summary>Plain Avro binary encoding of generated records through Apache.Avro's specific writer and reader.</summary>
internal static class AvroBinary
{
    public static byte[] Encode<T>(T record)
        where T : ISpecificRecord
    {
        using var stream = new MemoryStream();
        new SpecificDatumWriter<T>(record.Schema).Write(record, new BinaryEncoder(stream));
        return stream.ToArray();
    }

    public static T Decode<T>(byte[] bytes)
        where T : ISpecificRecord, new()
    {
        var schema = new T().Schema;
        using var stream = new MemoryStream(bytes);
        var record = new SpecificDatumReader<T>(schema, schema).Read(default!, new BinaryDecoder(stream));
        Assert.That(stream.Position, Is.EqualTo(bytes.Length), "the decoder left bytes unread");
        return record;
    }
}
