namespace Streams.Topology.Mongodb;

/// <summary>
/// What a ctime timestamp (<c>Tue Nov 15 07:04:17.016</c>, mongod 2.x and --timeStampFormat ctime) leaves out:
/// the year and the server's UTC offset. The caller supplies them, e.g. from the file or record metadata,
/// because a pure parser cannot know them.
/// </summary>
public sealed record MongodbCtimeContext(int Year, TimeSpan UtcOffset);
