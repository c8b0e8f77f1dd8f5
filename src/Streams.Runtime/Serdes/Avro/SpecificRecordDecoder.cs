using System.Collections;
using System.Linq.Expressions;
using Avro;
using Avro.IO;
using Avro.Specific;
using AvroSchema = Avro.Schema;

namespace Streams.Runtime.Serdes.Avro;

/// <summary>
/// Reads Avro binary written with a schema into the generated (<see cref="ISpecificRecord"/>) records of that same
/// schema, with the values <see cref="SpecificDatumReader{T}"/> gives when writer and reader schema are one: a plan
/// built once per schema creates each record, fixed, list and dictionary of the types the Avro reader creates (found
/// as it finds them, through <see cref="ObjectCreator"/> or, for lists and dictionaries, by letting it read an empty
/// one) and <see cref="ISpecificRecord.Put"/>s each field in schema order. Enums are read as their ordinal (a boxed
/// int, as the Avro reader returns them); logical values are converted by their own
/// <see cref="LogicalSchema.LogicalType"/> from the int or long under them.
/// <para>
/// A schema with a shape the plan does not cover gets no decoder (<see cref="TryCreate"/> returns null) and is left to
/// the Avro reader, as is any writer schema other than the reader's: this decoder never resolves two schemas.
/// Malformed bytes throw an <see cref="AvroException"/>: a length or a count is checked against the bytes left before
/// anything is allocated for it, a union branch or an enum ordinal against the schema.
/// </para>
/// </summary>
public sealed class SpecificRecordDecoder
{
    private static readonly object True = true;
    private static readonly object False = false;

    private readonly Node _root;

    private SpecificRecordDecoder(AvroSchema schema, Node root)
    {
        Schema = schema;
        _root = root;
    }

    public AvroSchema Schema { get; }

    /// <summary>The decoder of records written and read with <paramref name="schema"/>, or null when its shape is not planned.</summary>
    public static SpecificRecordDecoder? TryCreate(AvroSchema schema)
    {
        if (schema.Tag is not (AvroSchema.Type.Record or AvroSchema.Type.Error))
        {
            return null;
        }

        try
        {
            return new PlanBuilder().Build(schema) is { } root ? new SpecificRecordDecoder(schema, root) : null;
        }
        catch (Exception)
        {
            // A record or fixed whose generated type cannot be found or created, say: left to the Avro reader.
            return null;
        }
    }

    /// <summary>The record encoded in <paramref name="avro"/> (Avro binary alone, no framing). Bytes after the record are ignored, as the Avro reader ignores them.</summary>
    public ISpecificRecord Decode(ReadOnlySpan<byte> avro)
    {
        var reader = new AvroBinaryReader(avro);
        return (ISpecificRecord)_root.Read(ref reader)!;
    }

    /// <summary>The type of the list or dictionary the Avro reader creates for <paramref name="schema"/>, seen on an empty one it reads.</summary>
    private static Type EmptyCollectionType(AvroSchema schema)
    {
        var empty = new SpecificDatumReader<object>(schema, schema).Read(null!, new BinaryDecoder(new MemoryStream([0])));
        return empty.GetType();
    }

    private static Func<T> Constructor<T>(Type type) =>
        type.GetConstructor(Type.EmptyTypes) is { } constructor
            ? Expression.Lambda<Func<T>>(Expression.Convert(Expression.New(constructor), typeof(T))).Compile()
            : throw new AvroException(type + " has no parameterless constructor");

    /// <summary>Builds the reader of each schema node once; a record's node is registered before its fields, so recursive schemas close.</summary>
    private sealed class PlanBuilder
    {
        private readonly Dictionary<RecordSchema, RecordNode> _records = [];

        public Node? Build(AvroSchema schema)
        {
            switch (schema.Tag)
            {
                case AvroSchema.Type.Null:
                    return NullNode.Instance;
                case AvroSchema.Type.Boolean:
                    return BooleanNode.Instance;
                case AvroSchema.Type.Int:
                    return IntNode.Instance;
                case AvroSchema.Type.Long:
                    return LongNode.Instance;
                case AvroSchema.Type.Float:
                    return FloatNode.Instance;
                case AvroSchema.Type.Double:
                    return DoubleNode.Instance;
                case AvroSchema.Type.String:
                    return StringNode.Instance;
                case AvroSchema.Type.Bytes:
                    return BytesNode.Instance;
                case AvroSchema.Type.Record:
                case AvroSchema.Type.Error:
                    return Record((RecordSchema)schema);
                case AvroSchema.Type.Enumeration:
                    return new EnumNode(((EnumSchema)schema).Count);
                case AvroSchema.Type.Fixed:
                    return Fixed((FixedSchema)schema);
                case AvroSchema.Type.Array:
                    return Array((ArraySchema)schema);
                case AvroSchema.Type.Map:
                    return Map((MapSchema)schema);
                case AvroSchema.Type.Union:
                    return Union((UnionSchema)schema);
                case AvroSchema.Type.Logical:
                    var logical = (LogicalSchema)schema;
                    return logical.LogicalType is not null && logical.BaseSchema.Tag is AvroSchema.Type.Int or AvroSchema.Type.Long
                        ? new LogicalNode(logical, Build(logical.BaseSchema)!)
                        : null;
                default:
                    return null;
            }
        }

        private RecordNode? Record(RecordSchema schema)
        {
            if (_records.TryGetValue(schema, out var known))
            {
                return known;
            }

            // As SpecificDatumReader: the generated type of the schema's full name (a schema with no name is not a generated record).
            if (string.IsNullOrEmpty(schema.Name))
            {
                return null;
            }

            var type = ObjectCreator.Instance.GetType(schema);
            if (!typeof(ISpecificRecord).IsAssignableFrom(type))
            {
                return null;
            }

            var node = new RecordNode(Constructor<ISpecificRecord>(type));
            _records.Add(schema, node);
            var positions = new int[schema.Fields.Count];
            var readers = new Node[schema.Fields.Count];
            var minSize = 0;
            var i = 0;
            foreach (var field in schema.Fields)
            {
                if (Build(field.Schema) is not { } reader)
                {
                    return null;
                }

                positions[i] = field.Pos;
                readers[i] = reader;
                minSize += reader.MinSize;
                i++;
            }

            node.Init(positions, readers, minSize);
            return node;
        }

        private static FixedNode? Fixed(FixedSchema schema)
        {
            var type = ObjectCreator.Instance.GetType(schema);
            if (!typeof(SpecificFixed).IsAssignableFrom(type))
            {
                return null;
            }

            var create = Constructor<SpecificFixed>(type);

            // The Avro reader reads into the buffer the generated constructor allocates; one of another size is not guessed at.
            return create().Value?.Length == schema.Size ? new FixedNode(create, schema.Size) : null;
        }

        private ArrayNode? Array(ArraySchema schema)
        {
            // An item that may take no bytes (null, say) would let a count claim more items than there are bytes.
            if (Build(schema.ItemSchema) is not { MinSize: > 0 } item)
            {
                return null;
            }

            var type = EmptyCollectionType(schema);
            return typeof(IList).IsAssignableFrom(type) ? new ArrayNode(Constructor<IList>(type), item, type == typeof(List<string>)) : null;
        }

        private MapNode? Map(MapSchema schema)
        {
            if (Build(schema.ValueSchema) is not { } value)
            {
                return null;
            }

            var type = EmptyCollectionType(schema);
            return typeof(IDictionary).IsAssignableFrom(type) ? new MapNode(Constructor<IDictionary>(type), value, type == typeof(Dictionary<string, string>)) : null;
        }

        private Node? Union(UnionSchema schema)
        {
            var count = schema.Count;
            if (count == 0)
            {
                return null;
            }

            var readers = new Node[count];
            var nullIndex = -1;
            for (var i = 0; i < count; i++)
            {
                // With one schema on both sides the Avro reader reads branch i as the branch its union matches first for it: only i is planned.
                if (schema.MatchingBranch(schema[i]) != i || Build(schema[i]) is not { } reader)
                {
                    return null;
                }

                readers[i] = reader;
                if (schema[i].Tag == AvroSchema.Type.Null)
                {
                    nullIndex = i;
                }
            }

            return count == 2 && nullIndex >= 0
                ? new NullableNode(nullIndex, readers[1 - nullIndex])
                : new UnionNode(readers);
        }
    }

    private abstract class Node
    {
        /// <summary>The fewest bytes a value of this node takes.</summary>
        public virtual int MinSize => 1;

        public abstract object? Read(ref AvroBinaryReader reader);
    }

    private sealed class NullNode : Node
    {
        public static readonly NullNode Instance = new();

        public override int MinSize => 0;

        public override object? Read(ref AvroBinaryReader reader) => null;
    }

    private sealed class BooleanNode : Node
    {
        public static readonly BooleanNode Instance = new();

        public override object? Read(ref AvroBinaryReader reader) => reader.ReadBoolean() ? True : False;
    }

    private sealed class IntNode : Node
    {
        public static readonly IntNode Instance = new();

        public override object? Read(ref AvroBinaryReader reader) => reader.ReadInt();
    }

    private sealed class LongNode : Node
    {
        public static readonly LongNode Instance = new();

        public override object? Read(ref AvroBinaryReader reader) => reader.ReadLong();
    }

    private sealed class FloatNode : Node
    {
        public static readonly FloatNode Instance = new();

        public override int MinSize => 4;

        public override object? Read(ref AvroBinaryReader reader) => reader.ReadFloat();
    }

    private sealed class DoubleNode : Node
    {
        public static readonly DoubleNode Instance = new();

        public override int MinSize => 8;

        public override object? Read(ref AvroBinaryReader reader) => reader.ReadDouble();
    }

    private sealed class StringNode : Node
    {
        public static readonly StringNode Instance = new();

        public override object? Read(ref AvroBinaryReader reader) => reader.ReadString();
    }

    private sealed class BytesNode : Node
    {
        public static readonly BytesNode Instance = new();

        public override object? Read(ref AvroBinaryReader reader) => reader.ReadBytes();
    }

    /// <summary>As SpecificDatumReader's enum access: the ordinal itself, boxed (the generated Put unboxes it as its enum).</summary>
    private sealed class EnumNode : Node
    {
        private readonly object[] _ordinals;

        public EnumNode(int count)
        {
            _ordinals = new object[count];
            for (var i = 0; i < count; i++)
            {
                _ordinals[i] = i;
            }
        }

        public override object? Read(ref AvroBinaryReader reader) => _ordinals[reader.ReadIndex(_ordinals.Length, "enum")];
    }

    private sealed class FixedNode(Func<SpecificFixed> create, int size) : Node
    {
        public override int MinSize => size;

        public override object? Read(ref AvroBinaryReader reader)
        {
            var value = create();
            reader.ReadFixed(value.Value);
            return value;
        }
    }

    private sealed class RecordNode(Func<ISpecificRecord> create) : Node
    {
        private int[] _positions = [];
        private Node[] _readers = [];
        private int _minSize = 1;

        // 1 while the fields are planned: a record reached again through its own fields is recursive, and a recursive
        // record takes at least the byte of the union, array or map through which it contains itself.
        public override int MinSize => _minSize;

        public void Init(int[] positions, Node[] readers, int minSize)
        {
            _positions = positions;
            _readers = readers;
            _minSize = minSize;
        }

        public override object? Read(ref AvroBinaryReader reader)
        {
            var record = create();
            var positions = _positions;
            var readers = _readers;
            for (var i = 0; i < readers.Length; i++)
            {
                record.Put(positions[i], readers[i].Read(ref reader)!);
            }

            return record;
        }
    }

    /// <summary>Blocks of items added to a new list of the generated type, as SpecificDatumReader's array access adds them.</summary>
    private sealed class ArrayNode(Func<IList> create, Node item, bool strings) : Node
    {
        public override object? Read(ref AvroBinaryReader reader)
        {
            var list = create();
            if (strings && item is StringNode)
            {
                var typed = (List<string>)list;
                for (var n = reader.ReadBlockCount(1); n != 0; n = reader.ReadBlockCount(1))
                {
                    typed.EnsureCapacity(typed.Count + n);
                    for (var i = 0; i < n; i++)
                    {
                        typed.Add(reader.ReadString());
                    }
                }

                return list;
            }

            var minSize = item.MinSize;
            for (var n = reader.ReadBlockCount(minSize); n != 0; n = reader.ReadBlockCount(minSize))
            {
                for (var i = 0; i < n; i++)
                {
                    list.Add(item.Read(ref reader));
                }
            }

            return list;
        }
    }

    /// <summary>Blocks of entries set in a new dictionary of the generated type (a repeated key keeps its last value, as in the Avro reader).</summary>
    private sealed class MapNode(Func<IDictionary> create, Node value, bool strings) : Node
    {
        public override object? Read(ref AvroBinaryReader reader)
        {
            var map = create();

            // An entry is a key (at least its length byte) and a value.
            var minSize = 1 + value.MinSize;
            if (strings && value is StringNode)
            {
                var typed = (Dictionary<string, string>)map;
                for (var n = reader.ReadBlockCount(minSize); n != 0; n = reader.ReadBlockCount(minSize))
                {
                    for (var i = 0; i < n; i++)
                    {
                        var key = reader.ReadString();
                        typed[key] = reader.ReadString();
                    }
                }

                return map;
            }

            for (var n = reader.ReadBlockCount(minSize); n != 0; n = reader.ReadBlockCount(minSize))
            {
                for (var i = 0; i < n; i++)
                {
                    var key = reader.ReadString();
                    map[key] = value.Read(ref reader);
                }
            }

            return map;
        }
    }

    private sealed class LogicalNode(LogicalSchema schema, Node baseNode) : Node
    {
        public override object? Read(ref AvroBinaryReader reader) => schema.LogicalType.ConvertToLogicalValue(baseNode.Read(ref reader), schema);
    }

    /// <summary>A two-branch union with a null branch.</summary>
    private sealed class NullableNode(int nullIndex, Node value) : Node
    {
        public override object? Read(ref AvroBinaryReader reader) =>
            reader.ReadIndex(2, "union branch") == nullIndex ? null : value.Read(ref reader);
    }

    private sealed class UnionNode(Node[] branches) : Node
    {
        public override int MinSize { get; } = 1 + branches.Min(b => b.MinSize);

        public override object? Read(ref AvroBinaryReader reader) => branches[reader.ReadIndex(branches.Length, "union branch")].Read(ref reader);
    }
}
