using Microsoft.Extensions.Logging;
using Streams.Connectors.Elb;
using Streams.Connectors.Files;
using Streams.Connectors.Framework;
using Streams.Connectors.Laravel;
using Streams.Connectors.Mongodb;
using Streams.Connectors.Mysql;
using Streams.Runtime;
using Streams.Runtime.Serdes.Avro;
using Streams.Runtime.Topics;

namespace Streams.Connectors.Hosting;

/// <summary>
/// Builds a source connector from KEY=VALUE settings, as a Kafka Connect worker does from a connector config:
/// <c>connector.type</c> (mysql, mongodb, laravel, elb; the connector's name when absent) picks the task, the common
/// keys configure the runner (bootstrap.servers, schema.registry.url, topic = raw.&lt;type&gt; unless given,
/// offsets.topic, poll.interval.ms, batch.size, request.timeout.ms) and each type reads its own prefixed keys.
/// Every wrong setting fails here, naming its key.
/// </summary>
public static class SourceConnectors
{
    public const string TypeKey = "connector.type";
    public const string TopicKey = "topic";
    public const string OffsetsTopicKey = "offsets.topic";
    public const string PollIntervalKey = "poll.interval.ms";
    public const string BatchSizeKey = "batch.size";
    public const string RequestTimeoutKey = "request.timeout.ms";
    public const string MaxRecordBytesKey = "max.record.bytes";
    public const string RegistryUrlKey = "schema.registry.url";
    public const string RegistryAuthKey = "schema.registry.basic.auth.user.info";

    /// <summary>The connector types, each the name of the source it reads.</summary>
    public static readonly IReadOnlyList<string> Types = ["mysql", "mongodb", "laravel", "elb"];

    private static readonly Dictionary<string, string> MongodbModes = new(StringComparer.Ordinal) { ["file"] = "file", ["collection"] = "collection" };

    private static readonly Dictionary<string, string> MysqlModes = new(StringComparer.Ordinal) { ["table"] = "table", ["file"] = "file" };

    public static ISourceConnector Create(string name, IReadOnlyDictionary<string, string> properties, ILoggerFactory? loggers = null)
    {
        var settings = new Settings(properties);
        var type = settings.Text(TypeKey, name)!;
        if (!Types.Contains(type))
        {
            throw new StreamsConfigException(TypeKey, $"'{type}' is not a connector type; one of: {string.Join(", ", Types)}");
        }

        var options = RunnerOptions(name, type, settings);
        var logger = loggers?.CreateLogger("Streams.Connectors." + type);
        return type switch
        {
            "laravel" => new RunningConnector<Contracts.Raw.LaravelRaw, FileOffset>(type, options, new LaravelSourceTask(LaravelOptions(settings)), logger),
            "mongodb" => Mongodb(type, options, settings, logger),
            "mysql" => Mysql(type, options, settings, logger),
            _ => new RunningConnector<Contracts.Raw.ElbRaw, ElbObjectOffset>(type, options, ElbSourceTask.Create(ElbSourceOptions.FromProperties(properties), logger), logger),
        };
    }

    private static SourceConnectorOptions RunnerOptions(string name, string type, Settings settings) => new SourceConnectorOptions
    {
        Name = name,
        BootstrapServers = settings.Required(StreamsConfig.BootstrapServersKey),
        Topic = settings.Text(TopicKey) ?? TopicNames.Raw(type),
        OffsetsTopic = settings.Text(OffsetsTopicKey) ?? SourceConnectorOptions.DefaultOffsetsTopic,
        PollInterval = settings.Millis(PollIntervalKey, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(5)),
        BatchSize = settings.Integer(BatchSizeKey, 500, 1, 100_000),
        MaxRecordBytes = settings.Integer(MaxRecordBytesKey, SourceConnectorOptions.DefaultMaxRecordBytes, 1024, 100 * 1024 * 1024),
        RequestTimeout = settings.Millis(RequestTimeoutKey, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10)),
        SchemaRegistry = new SchemaRegistrySettings(settings.Required(RegistryUrlKey, "mock://<scope> for an in-process registry"), RegistryAuth(settings)),
    }.Validate();

    private static string? RegistryAuth(Settings settings) => settings.Text(RegistryAuthKey) switch
    {
        null => null,
        var auth when auth.IndexOf(':', StringComparison.Ordinal) > 0 => auth,
        _ => throw new StreamsConfigException(RegistryAuthKey, "must be USER:PASSWORD"),
    };

    /// <summary>mongodb.mode: <c>file</c> (the default) tails mongod's log, <c>collection</c> polls a logs collection.</summary>
    private static ISourceConnector Mongodb(string type, SourceConnectorOptions options, Settings settings, ILogger? logger) =>
        settings.Choice("mongodb.mode", "file", MongodbModes) == "collection"
            ? new RunningConnector<Contracts.Raw.MongodbRaw, MongodbCollectionOffset>(type, options, MongodbCollectionSourceTask.Connect(new MongodbCollectionOptions
            {
                ConnectionString = settings.Required(MongodbCollectionOptions.KeyPrefix + "uri", "e.g. mongodb://reader:secret@db-1:27017/?authSource=admin"),
                Database = settings.Required(MongodbCollectionOptions.KeyPrefix + "database"),
                Collection = settings.Required(MongodbCollectionOptions.KeyPrefix + "name"),
                Field = settings.Text(MongodbCollectionOptions.KeyPrefix + "field") ?? "_id",
            }), logger)
            : new RunningConnector<Contracts.Raw.MongodbRaw, FileOffset>(type, options, new MongodbFileSourceTask(new MongodbFileOptions
            {
                PathGlob = settings.Required(MongodbFileOptions.KeyPrefix + "path", "e.g. /var/log/mongodb/mongod.log*"),
                IdleFlushTimeout = settings.Millis(MongodbFileOptions.KeyPrefix + "idle.flush.ms", TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10)),
                ReadChunkSize = settings.Integer(MongodbFileOptions.KeyPrefix + "read.chunk.bytes", 64 * 1024, 512, 16 * 1024 * 1024),
                Host = settings.Text(MongodbFileOptions.KeyPrefix + "host") ?? Environment.MachineName,
            }), logger);

    /// <summary>mysql.mode: <c>table</c> (the default) polls mysql.general_log/slow_log, <c>file</c> tails the log files.</summary>
    private static ISourceConnector Mysql(string type, SourceConnectorOptions options, Settings settings, ILogger? logger)
    {
        if (settings.Choice("mysql.mode", "table", MysqlModes) == "file")
        {
            const string file = MysqlFileOptions.KeyPrefix;
            return new RunningConnector<Contracts.Raw.MysqlRaw, MysqlFileOffset>(type, options, new MysqlFileSourceTask(new MysqlFileOptions
            {
                GeneralPathGlob = settings.Text(file + "general.path"),
                SlowPathGlob = settings.Text(file + "slow.path"),
                IdleFlushTimeout = settings.Millis(file + "idle.flush.ms", TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10)),
                ReadChunkSize = settings.Integer(file + "read.chunk.bytes", 64 * 1024, 512, 16 * 1024 * 1024),
                MaxEntryBytes = MaxEntryBytes(settings, file),
                Host = settings.Text(file + "host") ?? Environment.MachineName,
            }.Validate()), logger);
        }

        DateTimeOffset? initial = settings.Text("mysql.initial.time") is { } text
            ? DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t)
                ? t
                : throw new StreamsConfigException("mysql.initial.time", $"'{text}' must be a date-time such as 2026-11-21T00:00:00Z")
            : null;
        return new RunningConnector<Contracts.Raw.MysqlRaw, MysqlTableOffset>(type, options, new MysqlTableSourceTask(new MysqlTableSourceOptions
        {
            ConnectionString = settings.Required("mysql.connection.string", "e.g. Server=db-1;User ID=streams_reader;Password=…"),
            Tables = settings.List("mysql.tables", [MysqlTableSourceOptions.GeneralLog, MysqlTableSourceOptions.SlowLog]),
            ServerName = settings.Text("mysql.server.name"),
            InitialTime = initial,
            PollInterval = settings.Millis("mysql.poll.interval.ms", TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(5)),
            BatchSize = settings.Integer("mysql.batch.size", 1000, 1, 100_000),
            Settle = settings.Millis("mysql.settle.ms", TimeSpan.FromSeconds(1), TimeSpan.Zero, TimeSpan.FromMinutes(10)),
        }.Validate(), logger), logger);
    }

    private static LaravelSourceOptions LaravelOptions(Settings settings) => new LaravelSourceOptions
    {
        PathGlob = settings.Required("laravel.path", "e.g. /var/log/app/laravel*.log"),
        IdleFlushTimeout = settings.Millis("laravel.idle.flush.ms", TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10)),
        ReadChunkSize = settings.Integer("laravel.read.chunk.bytes", 64 * 1024, 512, 16 * 1024 * 1024),
        MaxEntryBytes = MaxEntryBytes(settings, "laravel."),
        Host = settings.Text("laravel.host") ?? Environment.MachineName,
    }.Validate();

    /// <summary>&lt;prefix&gt;max.entry.bytes of a source whose entries span lines.</summary>
    private static int MaxEntryBytes(Settings settings, string prefix) =>
        settings.Integer(prefix + "max.entry.bytes", FileTailOptions.DefaultMaxEntryBytes, 1024, 64 * 1024 * 1024);
}
