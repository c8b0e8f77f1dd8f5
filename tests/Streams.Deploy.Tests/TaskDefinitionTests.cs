using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Streams.Connectors.Elasticsearch;
using Streams.Hosting;
using Streams.Hosting.Http;
using Streams.Runtime;
using Streams.Topology.Curation;

namespace Streams.Deploy.Tests;

/// <summary>
/// Every deploy/ecs task definition is valid JSON with what ECS needs, and says what the application actually
/// does: the command parses in the CLI, the port and paths are the endpoint's, every STREAMS_* variable is a
/// setting the service reads, and the close timeout fits inside stopTimeout.
/// </summary>
[TestFixture]
public sealed partial class TaskDefinitionTests
{
    private const int StopTimeoutSeconds = 120;

    // librdkafka properties the services pass through to their Kafka clients.
    private static readonly string[] KafkaClientKeys = ["security.protocol", "sasl.mechanisms", "sasl.username", "sasl.password", "ssl.ca.location"];

    private static readonly Dictionary<int, (int Min, int Max)> FargateMemory = new()
    {
        [256] = (512, 2048),
        [512] = (1024, 4096),
        [1024] = (2048, 8192),
        [2048] = (4096, 16384),
        [4096] = (8192, 30720),
    };

    public static IEnumerable<string> Files() => Repo.TaskDefinitions.Select(Path.GetFileName)!;

    [TestCaseSource(nameof(Files))]
    public void It_has_what_a_Fargate_task_definition_needs(string file)
    {
        using var doc = Load(file);
        var td = doc.RootElement;
        Assert.That(td.GetProperty("family").GetString(), Does.EndWith("-" + Path.GetFileNameWithoutExtension(file)));
        Assert.That(td.GetProperty("networkMode").GetString(), Is.EqualTo("awsvpc"));
        Assert.That(td.GetProperty("requiresCompatibilities").EnumerateArray().Select(e => e.GetString()), Does.Contain("FARGATE"));
        var cpu = int.Parse(td.GetProperty("cpu").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var memory = int.Parse(td.GetProperty("memory").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(FargateMemory, Contains.Key(cpu), "a Fargate CPU size");
        Assert.That(memory, Is.InRange(FargateMemory[cpu].Min, FargateMemory[cpu].Max).And.Matches<int>(m => m % 1024 == 0 || m == 512), "a memory size Fargate pairs with that CPU");
        Assert.That(td.GetProperty("executionRoleArn").GetString(), Is.Not.Empty);
        Assert.That(td.GetProperty("taskRoleArn").GetString(), Is.Not.Empty);
        var container = td.GetProperty("containerDefinitions").EnumerateArray().Single();
        Assert.That(container.GetProperty("image").GetString(), Is.EqualTo("${image}"), "the one Streams image");
        Assert.That(container.GetProperty("essential").GetBoolean(), Is.True);
        Assert.That(container.GetProperty("stopTimeout").GetInt32(), Is.EqualTo(StopTimeoutSeconds));
        Assert.That(container.GetProperty("user").GetString(), Does.Not.StartWith("0").And.Not.StartWith("root"), "not root");
        var log = container.GetProperty("logConfiguration");
        Assert.That(log.GetProperty("logDriver").GetString(), Is.EqualTo("awslogs"));
        Assert.That(log.GetProperty("options").EnumerateObject().Select(o => o.Name), Is.SupersetOf(new[] { "awslogs-group", "awslogs-region", "awslogs-stream-prefix" }));
        foreach (var secret in container.GetProperty("secrets").EnumerateArray())
        {
            Assert.That(secret.GetProperty("valueFrom").GetString(), Does.StartWith("${").And.Contains("secret_arn}"), "secrets come from Secrets Manager ARNs");
        }

        var volumes = td.GetProperty("volumes").EnumerateArray().Select(v => v.GetProperty("name").GetString()).ToList();
        foreach (var mount in container.GetProperty("mountPoints").EnumerateArray())
        {
            Assert.That(volumes, Does.Contain(mount.GetProperty("sourceVolume").GetString()), "every mount has its volume");
        }
    }

    [TestCaseSource(nameof(Files))]
    public void Its_command_is_one_the_cli_has(string file)
    {
        using var doc = Load(file);
        var command = Container(doc).GetProperty("command").EnumerateArray().Select(e => e.GetString()!).ToList();
        var service = Path.GetFileNameWithoutExtension(file);
        Assert.That(string.Join(' ', command), Is.EqualTo(service.StartsWith("connect-", StringComparison.Ordinal) ? "connect " + service["connect-".Length..] : service));
        Repo.AssertCliAccepts(command, file);
    }

    [TestCaseSource(nameof(Files))]
    public void Its_port_health_check_and_scrape_labels_are_the_endpoint_s(string file)
    {
        using var doc = Load(file);
        var container = Container(doc);
        var env = Environment(container);
        var port = ServiceOptions.Split(env).Options.HttpPort;
        Assert.That(port, Is.EqualTo(ServiceOptions.DefaultHttpPort));
        Assert.That(container.GetProperty("portMappings").EnumerateArray().Select(p => p.GetProperty("containerPort").GetInt32()), Is.EqualTo(new[] { port }));

        var check = container.GetProperty("healthCheck").GetProperty("command").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.That(check[0], Is.EqualTo("CMD"));
        Assert.That(check[1], Is.EqualTo(Repo.CliExecutable), "the probe is the CLI on the PATH");
        var parse = Repo.AssertCliAccepts(check[2..], file + " healthCheck");
        var url = new Uri(parse.GetValue<string>("--url")!);
        Assert.That((url.AbsolutePath, url.Port), Is.EqualTo((ServiceEndpoint.LivePath, port)));
        Assert.That(container.GetProperty("healthCheck").GetProperty("timeout").GetInt32(), Is.LessThan(container.GetProperty("healthCheck").GetProperty("interval").GetInt32()));

        var labels = container.GetProperty("dockerLabels");
        Assert.That(labels.GetProperty("ECS_PROMETHEUS_EXPORTER_PORT").GetString(), Is.EqualTo(port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(labels.GetProperty("ECS_PROMETHEUS_METRICS_PATH").GetString(), Is.EqualTo(ServiceEndpoint.MetricsPath));
    }

    [Test]
    public void The_topology_s_settings_are_keys_it_reads_and_its_close_fits_in_stopTimeout()
    {
        using var doc = Load("topology.json");
        var container = Container(doc);
        var env = Environment(container);
        var known = ConstantKeys(typeof(StreamsConfig)).Concat(ConstantKeys(typeof(CurationHost))).Concat(ServiceOptions.Keys).Concat(KafkaClientKeys);
        Assert.That(env.Keys.Except(known), Is.Empty, "settings streams topology does not read");

        // The engine's own validation runs on them, as at start (exactly once refuses a close timeout of 120 s or more).
        var (_, rest) = ServiceOptions.Split(env);
        var engine = CurationTopology.EngineDefaults(new CurationOptions());
        foreach (var (key, value) in rest.Where(kv => !ConstantKeys(typeof(CurationHost)).Contains(kv.Key)))
        {
            engine[key] = value;
        }

        var config = StreamsConfig.FromProperties(engine);
        Assert.That(config.CloseTimeout, Is.LessThan(TimeSpan.FromSeconds(StopTimeoutSeconds)));
        Assert.That(config.CloseTimeout, Is.GreaterThan(TimeSpan.FromSeconds(30)), "room to finish a transaction and checkpoint");
        var state = container.GetProperty("mountPoints").EnumerateArray().Select(m => m.GetProperty("containerPath").GetString());
        Assert.That(state, Does.Contain(config.StateDir), "the RocksDB state directory is a volume");
    }

    [Test]
    public void The_sink_s_settings_are_keys_it_reads_and_its_close_fits_in_stopTimeout()
    {
        using var doc = Load("sink.json");
        var env = Environment(Container(doc));
        var known = ConstantKeys(typeof(ElasticsearchOptions)).Concat(ConstantKeys(typeof(ElasticsearchSinkOptions))).Concat(ConstantKeys(typeof(SinkHost)))
            .Append(StreamsConfig.BootstrapServersKey).Concat(ServiceOptions.Keys)
            .Concat(KafkaClientKeys.SelectMany(k => new[] { "consumer." + k, "producer." + k }));
        Assert.That(env.Keys.Except(known), Is.Empty, "settings streams sink does not read");
        var options = ElasticsearchSinkOptions.FromProperties(env);
        Assert.That(options.CloseTimeout, Is.LessThan(TimeSpan.FromSeconds(StopTimeoutSeconds)));
        Assert.That(options.Topics, Is.EquivalentTo(Streams.Contracts.SchemaCatalog.Sources.Select(s => s.CuratedTopic)), "every curated topic is indexed");
    }

    [TestCaseSource(nameof(Files))]
    public async Task A_connector_s_settings_are_ones_its_connector_reads(string file)
    {
        var service = Path.GetFileNameWithoutExtension(file);
        if (!service.StartsWith("connect-", StringComparison.Ordinal))
        {
            Assert.Pass("not a connector");
        }

        using var doc = Load(file);
        var env = Environment(Container(doc));
        // Secrets in the shapes the secret store holds them.
        if (env.ContainsKey("mysql.connection.string"))
        {
            env["mysql.connection.string"] = "Server=db-1;User ID=streams_reader;Password=secret";
        }

        env[CurationHost.RegistryAuthKey] = "streams:secret";

        // The connector is built from exactly these settings, as streams connect builds it; every key it looks at is noted.
        var (_, rest) = ServiceOptions.Split(env);
        var read = new ReadKeys(rest);
        await using (Streams.Connectors.Hosting.SourceConnectors.Create(service["connect-".Length..], read))
        {
        }

        var shared = new[] { CurationHost.RegistryAuthKey }.Concat(KafkaClientKeys);
        Assert.That(rest.Keys.Where(k => !read.Seen.Contains(k) && !shared.Contains(k)), Is.Empty, "settings streams connect does not read");
    }

    /// <summary>Settings that remember which keys were looked up.</summary>
    private sealed class ReadKeys(Dictionary<string, string> inner) : IReadOnlyDictionary<string, string>
    {
        public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);

        public int Count => inner.Count;

        public IEnumerable<string> Keys => inner.Keys;

        public IEnumerable<string> Values => inner.Values;

        public string this[string key] => Seen.Add(key) ? inner[key] : inner[key];

        public bool ContainsKey(string key) => Seen.Add(key) | inner.ContainsKey(key);

        public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string value)
        {
            Seen.Add(key);
            return inner.TryGetValue(key, out value);
        }

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => inner.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>The settings the container's STREAMS_* variables and secrets become, read as ServiceSettings reads them; placeholders get sample values.</summary>
    private static Dictionary<string, string> Environment(JsonElement container)
    {
        var variables = new System.Collections.Hashtable();
        foreach (var e in container.GetProperty("environment").EnumerateArray())
        {
            variables[e.GetProperty("name").GetString()!] = Placeholder().Replace(e.GetProperty("value").GetString()!, m => m.Groups[1].Value == "log_level" ? "Information" : "sample");
        }

        foreach (var s in container.GetProperty("secrets").EnumerateArray())
        {
            variables[s.GetProperty("name").GetString()!] = "secret";
        }

        Assert.That(variables.Keys.Cast<string>(), Has.All.StartsWith("STREAMS_"), "settings reach the application only as STREAMS_* variables");
        return new Dictionary<string, string>(StreamsConfig.FromEnvironment(variables), StringComparer.Ordinal);
    }

    private static HashSet<string> ConstantKeys(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.Name.EndsWith("Key", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);

    private static JsonDocument Load(string file) => JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Ecs, file)));

    private static JsonElement Container(JsonDocument doc) => doc.RootElement.GetProperty("containerDefinitions")[0];

    [GeneratedRegex(@"\$\{([a-z_]+)\}")]
    private static partial Regex Placeholder();
}
