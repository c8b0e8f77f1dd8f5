using NUnit.Framework;
using Streams.Topology.Mysql;

namespace Streams.Topology.Tests.Mysql;

public sealed class MysqlUserHostTests
{
    [TestCase("root[root] @ localhost []", "root", "root", "localhost", null)]
    [TestCase("[root] @ localhost []", "root", null, "localhost", null)]
    [TestCase("app[app] @ localhost [127.0.0.1]", "app", "app", "localhost", "127.0.0.1")]
    [TestCase("app[app] @  [2001:db8::17]", "app", "app", null, "2001:db8::17")]
    [TestCase("proxied[alice] @ web-1.example.com [10.1.2.3]", "alice", "proxied", "web-1.example.com", "10.1.2.3")]
    [TestCase("[] @ localhost []", null, null, "localhost", null)]
    public void User_host_parts_are_read(string text, string? user, string? privileged, string? host, string? ip)
    {
        Assert.That(MysqlUserHost.Parse(text).Value, Is.EqualTo(new MysqlUserHost(user, privileged, host, ip)));
    }

    [TestCase("")]
    [TestCase("root")]
    [TestCase("root[root")]
    [TestCase("root[root] @ localhost [")]
    [TestCase(null)]
    public void Malformed_user_host_fails(string? text)
    {
        Assert.That(MysqlUserHost.Parse(text).Error, Does.StartWith("user_host has no"));
    }
}
