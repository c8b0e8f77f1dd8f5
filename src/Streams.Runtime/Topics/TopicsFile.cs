using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Streams.Runtime.Topics;

/// <summary>
/// A topics.yaml in the kafka-gitops/JulieOps shape: a <c>settings</c> block of defaults, then <c>topics</c>.
/// Read through YamlDotNet's representation model so that every problem names its line.
/// </summary>
public sealed class TopicsFile
{
    /// <summary>Kafka's own broker defaults (num.partitions, default.replication.factor) when settings leave them out.</summary>
    private const int FallbackPartitions = 1;
    private const int FallbackReplicationFactor = 1;

    private static readonly string[] RootKeys = ["settings", "topics"];
    private static readonly string[] SettingsKeys = ["partitions", "replication_factor", "configs"];
    private static readonly string[] TopicKeys = ["name", "partitions", "replication_factor", "configs"];

    private readonly List<TopicsError> _errors = [];
    private readonly List<TopicSpec> _topics = [];

    private TopicsFile(string fileName) => FileName = fileName;

    /// <summary>The name errors are reported under, e.g. topics.yaml.</summary>
    public string FileName { get; }

    /// <summary>The declared topics in file order, each with the defaults applied.</summary>
    public IReadOnlyList<TopicSpec> Topics => _topics;

    /// <summary>What kept the file from being read as written; empty when it parsed.</summary>
    public IReadOnlyList<TopicsError> ParseErrors => _errors;

    public static TopicsFile Load(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

    public static TopicsFile Parse(string yaml, string fileName = "topics.yaml")
    {
        var file = new TopicsFile(fileName);
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(yaml));
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException e)
        {
            file.Error(e.Start, e.InnerException?.Message ?? e.Message);
            return file;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner gives up on some malformed input without a YamlException; where it stopped is still known.
            file.Error(scanner.CurrentPosition, "malformed YAML (an unclosed bracket or quote?)");
            return file;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            file.Error(stream.Documents.Count == 0 ? Mark.Empty : stream.Documents[0].RootNode.Start, "expected a mapping with 'settings' and 'topics'");
            return file;
        }

        file.Read(root);
        return file;
    }

    public TopicSpec? Find(string name) => _topics.FirstOrDefault(t => t.Name == name);

    private void Read(YamlMappingNode root)
    {
        CheckKeys(root, RootKeys, "top level");
        var partitions = FallbackPartitions;
        var replicationFactor = FallbackReplicationFactor;
        IReadOnlyDictionary<string, string> configs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Child(root, "settings") is { } settingsNode)
        {
            if (settingsNode is YamlMappingNode settings)
            {
                CheckKeys(settings, SettingsKeys, "settings");
                partitions = Int(settings, "partitions") ?? partitions;
                replicationFactor = Int(settings, "replication_factor") ?? replicationFactor;
                configs = Configs(settings) ?? configs;
            }
            else
            {
                Error(settingsNode.Start, "'settings' must be a mapping");
            }
        }

        switch (Child(root, "topics"))
        {
            case null:
                Error(root.Start, "'topics' is missing");
                break;
            case YamlSequenceNode topics:
                foreach (var entry in topics)
                {
                    ReadTopic(entry, partitions, replicationFactor, configs);
                }

                break;
            case var other:
                Error(other.Start, "'topics' must be a list of entries with a name");
                break;
        }
    }

    private void ReadTopic(YamlNode entry, int defaultPartitions, int defaultReplicationFactor, IReadOnlyDictionary<string, string> defaultConfigs)
    {
        if (entry is not YamlMappingNode topic)
        {
            Error(entry.Start, "a topic entry must be a mapping with at least 'name'");
            return;
        }

        CheckKeys(topic, TopicKeys, "a topic entry");
        if (Child(topic, "name") is null)
        {
            Error(topic.Start, "a topic entry has no 'name'");
            return;
        }

        if (Scalar(topic, "name") is not { } name)
        {
            return;
        }

        var configs = new Dictionary<string, string>(defaultConfigs, StringComparer.Ordinal);
        foreach (var (key, value) in Configs(topic) ?? new Dictionary<string, string>())
        {
            configs[key] = value;
        }

        _topics.Add(new TopicSpec(
            name,
            Int(topic, "partitions") ?? defaultPartitions,
            Int(topic, "replication_factor") ?? defaultReplicationFactor,
            configs,
            Line(topic.Start)));
    }

    private Dictionary<string, string>? Configs(YamlMappingNode owner)
    {
        switch (Child(owner, "configs"))
        {
            case null:
                return null;
            case YamlMappingNode mapping:
                var result = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is YamlScalarNode { Value: { } k } && value is YamlScalarNode { Value: { } v })
                    {
                        result[k] = v;
                    }
                    else
                    {
                        Error(key.Start, "a config must be a 'key: value' pair of plain values");
                    }
                }

                return result;
            case var other:
                Error(other.Start, "'configs' must be a mapping of Kafka topic configs");
                return null;
        }
    }

    private int? Int(YamlMappingNode owner, string key)
    {
        if (Child(owner, key) is not { } node)
        {
            return null;
        }

        if (node is YamlScalarNode { Value: { } text } && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        Error(node.Start, $"'{key}' must be a whole number");
        return null;
    }

    private string? Scalar(YamlMappingNode owner, string key)
    {
        var node = Child(owner, key);
        if (node is YamlScalarNode { Value: { } text } && text.Length > 0)
        {
            return text;
        }

        if (node is not null)
        {
            Error(node.Start, $"'{key}' must be a plain value");
        }

        return null;
    }

    private void CheckKeys(YamlMappingNode mapping, string[] allowed, string where)
    {
        foreach (var key in mapping.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? key.ToString();
            if (!allowed.Contains(name))
            {
                Error(key.Start, $"unknown key '{name}' in {where} (expected one of: {string.Join(", ", allowed)})");
            }
        }
    }

    private static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static int Line(Mark mark) => (int)Math.Max(1, mark.Line);

    private void Error(Mark mark, string message) => _errors.Add(new TopicsError(FileName, Line(mark), message));
}
