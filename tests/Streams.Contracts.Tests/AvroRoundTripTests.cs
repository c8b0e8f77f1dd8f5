using Avro.Specific;
using Streams.Contracts.Curated;
using Streams.Contracts.Raw;
using static Streams.Contracts.Tests.SampleRecords;

namespace Streams.Contracts.Tests;

[TestFixture]
public sealed class AvroRoundTripTests
{
    [TestCase(SampleVariant.Minimal)]
    [TestCase(SampleVariant.Full)]
    [TestCase(SampleVariant.Extremes)]
    public void Raw_records_survive_Apache_Avro_binary(SampleVariant variant)
    {
        RoundTrip<MysqlRaw>(variant);
        RoundTrip<MongodbRaw>(variant);
        RoundTrip<LaravelRaw>(variant);
        RoundTrip<ElbRaw>(variant);
    }

    [TestCase(SampleVariant.Minimal)]
    [TestCase(SampleVariant.Full)]
    [TestCase(SampleVariant.Extremes)]
    public void Curated_records_survive_Apache_Avro_binary(SampleVariant variant)
    {
        RoundTrip<MysqlCurated>(variant);
        RoundTrip<MongodbCurated>(variant);
        RoundTrip<LaravelCurated>(variant);
        RoundTrip<ElbCurated>(variant);
    }

    [Test]
    public void A_one_megabyte_message_survives_intact()
    {
        var record = Create<LaravelCurated>(SampleVariant.Extremes);

        var decoded = AvroBinary.Decode<LaravelCurated>(AvroBinary.Encode(record));

        Assert.That(decoded.message, Has.Length.EqualTo(LongStringLength));
        Assert.That(decoded.message, Is.EqualTo(record.message));
    }

    [Test]
    public void Every_field_of_a_full_record_is_set_so_the_round_trip_checks_them_all()
    {
        var record = Create<ElbCurated>(SampleVariant.Full);

        Assert.That(record.aws.elb.target_status_code_list, Has.Count.EqualTo(3));
        Assert.That(record.source.geo.location.lat, Is.Not.Zero);
        Assert.That(record.timestamp.Kind, Is.EqualTo(DateTimeKind.Utc));
    }

    private static void RoundTrip<T>(SampleVariant variant)
        where T : ISpecificRecord, new()
    {
        var record = Create<T>(variant);

        var decoded = AvroBinary.Decode<T>(AvroBinary.Encode(record));

        RecordAssert.AreEqual(record, decoded);
    }
}
