using NUnit.Framework.Internal;
using Streams.Contracts.Curated;

namespace Streams.Contracts.Tests;

/// <summary>The round-trip comparison must see a difference deep inside a record, or the round trips prove nothing.</summary>
[TestFixture]
public sealed class RecordAssertTests
{
    [Test]
    public void A_difference_in_a_nested_field_is_reported_with_its_path()
    {
        var expected = GoldenRecords.Elb();
        var actual = GoldenRecords.Elb();
        actual.source.geo.location.lon = 11.5756;
        actual.aws.elb.actions_executed = ["forward"];

        using (new TestExecutionContext.IsolatedContext())
        {
            Assert.That(() => RecordAssert.AreEqual(expected, actual), Throws.InstanceOf<AssertionException>()
                .With.Message.Contains("ElbCurated.source.geo.location.lon")
                .And.Message.Contains("ElbCurated.aws.elb.actions_executed: expected 2 items, was 1"));
        }
    }

    [Test]
    public void Null_against_a_value_is_a_difference()
    {
        var expected = GoldenRecords.Mysql();
        var actual = GoldenRecords.Mysql();
        actual.mysql.db = null;

        using (new TestExecutionContext.IsolatedContext())
        {
            Assert.That(() => RecordAssert.AreEqual(expected, actual), Throws.InstanceOf<AssertionException>().With.Message.Contains("MysqlCurated.mysql.db"));
        }
    }
}
