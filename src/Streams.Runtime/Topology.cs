using System.Text;
using Streams.Runtime.Internals;
using Streams.Runtime.State;

namespace Streams.Runtime;

/// <summary>A group of nodes connected through parents or shared stores; it runs as one task per input partition.</summary>
public sealed record Subtopology(int Id, IReadOnlyList<string> SourceTopics, IReadOnlyList<string> Nodes, IReadOnlyList<string> Stores);

/// <summary>A built, immutable topology.</summary>
public sealed class Topology
{
    private readonly Dictionary<string, NodeDefinition> _nodes;
    private readonly Dictionary<string, int> _subtopologyByTopic = new(StringComparer.Ordinal);

    internal Topology(IReadOnlyList<NodeDefinition> nodes, IReadOnlyList<StoreBuilder> stores)
    {
        Nodes = nodes;
        _nodes = nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        StoreBuilders = stores.ToDictionary(s => s.Name, StringComparer.Ordinal);
        Subtopologies = Group(nodes);
        foreach (var sub in Subtopologies)
        {
            foreach (var topic in sub.SourceTopics)
            {
                _subtopologyByTopic[topic] = sub.Id;
            }
        }
    }

    public IReadOnlyList<Subtopology> Subtopologies { get; }

    public IReadOnlyDictionary<string, StoreBuilder> StoreBuilders { get; }

    /// <summary>Every topic read by a source.</summary>
    public IReadOnlyList<string> SourceTopics => Subtopologies.SelectMany(s => s.SourceTopics).ToList();

    /// <summary>Every fixed topic written by a sink (topics chosen per record are not known in advance).</summary>
    public IReadOnlyList<string> SinkTopics => Nodes.OfType<ISinkDefinition>().Select(s => s.Topic).OfType<string>().Distinct().ToList();

    internal IReadOnlyList<NodeDefinition> Nodes { get; }

    public static string ChangelogTopic(string applicationId, string store) => $"{applicationId}-{store}-changelog";

    /// <summary>The compacted topic where exactly-once input positions are committed with each transaction.</summary>
    public static string PositionsTopic(string applicationId) => $"{applicationId}-offsets";

    internal bool TryGetSubtopology(string topic, out int id) => _subtopologyByTopic.TryGetValue(topic, out id);

    internal NodeDefinition Node(string name) => _nodes[name];

    /// <summary>The topology in the layout of Kafka Streams' TopologyDescription.</summary>
    public string Describe()
    {
        var sb = new StringBuilder("Topologies:\n");
        foreach (var sub in Subtopologies)
        {
            sb.Append("   Sub-topology: ").Append(sub.Id).Append('\n');
            foreach (var name in sub.Nodes)
            {
                var node = _nodes[name];
                sb.Append("    ");
                switch (node)
                {
                    case ISourceDefinition source:
                        sb.Append("Source: ").Append(name).Append(" (topics: [").Append(string.Join(", ", source.Topics)).Append("])\n");
                        break;
                    case ISinkDefinition sink:
                        sb.Append("Sink: ").Append(name).Append(" (topic: ").Append(sink.Topic ?? "<chosen per record>").Append(")\n");
                        break;
                    default:
                        sb.Append("Processor: ").Append(name).Append(" (stores: [").Append(string.Join(", ", node.Stores)).Append("])\n");
                        break;
                }

                if (node.Children.Count > 0)
                {
                    sb.Append("      --> ").Append(string.Join(", ", node.Children)).Append('\n');
                }

                if (node.Parents.Count > 0)
                {
                    sb.Append("      <-- ").Append(string.Join(", ", node.Parents)).Append('\n');
                }
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    public override string ToString() => Describe();

    private static List<Subtopology> Group(IReadOnlyList<NodeDefinition> nodes)
    {
        // Union-find over parent edges and shared stores.
        var parent = nodes.ToDictionary(n => n.Name, n => n.Name, StringComparer.Ordinal);
        string Find(string x)
        {
            while (parent[x] != x)
            {
                x = parent[x] = parent[parent[x]];
            }

            return x;
        }

        void Union(string a, string b) => parent[Find(a)] = Find(b);

        var storeOwner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            foreach (var p in node.Parents)
            {
                Union(node.Name, p);
            }

            foreach (var store in node.Stores)
            {
                if (storeOwner.TryGetValue(store, out var other))
                {
                    Union(node.Name, other);
                }
                else
                {
                    storeOwner[store] = node.Name;
                }
            }
        }

        var groups = nodes.GroupBy(n => Find(n.Name)).ToList();
        var result = new List<Subtopology>();
        foreach (var group in groups)
        {
            var members = group.ToList();
            var topics = members.OfType<ISourceDefinition>().SelectMany(s => s.Topics).ToList();
            var stores = members.SelectMany(n => n.Stores).Distinct().ToList();
            result.Add(new Subtopology(result.Count, topics, members.Select(n => n.Name).ToList(), stores));
        }

        return result;
    }
}
