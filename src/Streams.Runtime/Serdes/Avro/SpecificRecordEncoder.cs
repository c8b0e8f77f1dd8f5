using System.Collections;
using System.Linq.Expressions;
using System.Reflection;
using Avro;
using Avro.Specific;
using AvroSchema = Avro.Schema;

namespace Streams.Runtime.Serdes.Avro;

/// <summary>
/// Writes generated (<see cref="ISpecificRecord"/>) records in Avro binary, byte for byte as
/// <see cref="SpecificDatumWriter{T}"/> writes them, from a plan built once per schema: each record field's position and
/// a writer for its kind; a union picks its branch with the same tests as the Avro writer, in branch order, with the
/// record test answered by a reference comparison once a record type has matched. Values are read with
/// <see cref="ISpecificRecord.Get"/> as the Avro writer reads them; logical values are converted by their own
/// <see cref="LogicalSchema.LogicalType"/>. The bytes go into a per-thread buffer that is reused.
/// <para>
/// A wrong value throws as the Avro writer does (<see cref="AvroException"/> for a union value matching no branch or a
/// value of the wrong type); callers that must reproduce the Avro writer's exception exactly in every case (a null
/// record, say) write the record again with it when this encoder throws.
/// </para>
/// </summary>
public sealed class SpecificRecordEncoder
{
    [ThreadStatic]
    private static AvroBinaryWriter? t_writer;

    private readonly Node _root;
    private readonly IReadOnlyCollection<RecordNode> _records;

    private SpecificRecordEncoder(AvroSchema schema, Node root, IReadOnlyCollection<RecordNode> records)
    {
        Schema = schema;
        _root = root;
        _records = records;
    }

    public AvroSchema Schema { get; }

    /// <summary>The encoder of <paramref name="schema"/>, or null when the schema has a shape this encoder does not plan.</summary>
    public static SpecificRecordEncoder? TryCreate(AvroSchema schema)
    {
        try
        {
            var builder = new PlanBuilder();
            return builder.Build(schema) is { } root ? new SpecificRecordEncoder(schema, root, builder.Records) : null;
        }
        catch (Exception)
        {
            // An enum whose generated type cannot be found, say: such a schema is left to the Avro writer, whatever it does with it.
            return null;
        }
    }

    /// <summary>The record types written so far through compiled property readers rather than the plan (for tests).</summary>
    internal IReadOnlyList<Type> CompiledRecordTypes => _records.Select(r => r.CompiledType).OfType<Type>().ToList();

    /// <summary>The Avro binary encoding of <paramref name="record"/> alone.</summary>
    public byte[] Encode(ISpecificRecord record)
    {
        var writer = Writer();
        _root.Write(record, writer);
        return writer.ToArray();
    }

    /// <summary>Confluent's wire format: magic byte 0, the big-endian schema id, then the Avro binary of <paramref name="record"/>.</summary>
    public byte[] Encode(ISpecificRecord record, int schemaId) => EncodeToThreadBuffer(record, schemaId).ToArray();

    /// <summary>
    /// <see cref="Encode(ISpecificRecord, int)"/> without an array of its own: the bytes are in this thread's buffer,
    /// valid until the next encode on the thread.
    /// </summary>
    internal ReadOnlySpan<byte> EncodeToThreadBuffer(ISpecificRecord record, int schemaId)
    {
        var writer = Writer();
        writer.WriteByte(0);
        writer.WriteInt32BigEndian(schemaId);
        _root.Write(record, writer);
        return writer.Written;
    }

    private static AvroBinaryWriter Writer()
    {
        var writer = t_writer ??= new AvroBinaryWriter();
        writer.Reset();
        return writer;
    }

    // The messages of PreresolvingDatumWriter.TypeMismatch.
    private static AvroException TypeMismatch(object? value, string schemaType, string type) =>
        new(type + " required to write against " + schemaType + " schema but found " + (value is null ? "null" : value.GetType().ToString()));

    /// <summary>Builds the writer of each schema node once; a record's node is registered before its fields, so recursive schemas close.</summary>
    private sealed class PlanBuilder
    {
        private readonly Dictionary<RecordSchema, RecordNode> _records = [];

        public IReadOnlyCollection<RecordNode> Records => _records.Values;

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
                    return new EnumNode((EnumSchema)schema);
                case AvroSchema.Type.Fixed:
                    return FixedNode.Instance;
                case AvroSchema.Type.Array:
                    return Build(((ArraySchema)schema).ItemSchema) is { } item ? new ArrayNode(item) : null;
                case AvroSchema.Type.Map:
                    return Build(((MapSchema)schema).ValueSchema) is { } value ? new MapNode(value) : null;
                case AvroSchema.Type.Union:
                    return Union((UnionSchema)schema);
                case AvroSchema.Type.Logical:
                    var logical = (LogicalSchema)schema;
                    return Build(logical.BaseSchema) is { } baseNode ? new LogicalNode(logical, baseNode) : null;
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

            var node = new RecordNode();
            _records.Add(schema, node);
            var positions = new int[schema.Fields.Count];
            var writers = new Node[schema.Fields.Count];
            var names = new string[schema.Fields.Count];
            var i = 0;
            foreach (var field in schema.Fields)
            {
                if (Build(field.Schema) is not { } writer)
                {
                    return null;
                }

                positions[i] = field.Pos;
                writers[i] = writer;
                names[i] = field.Name;
                i++;
            }

            node.Init(positions, writers, names);
            return node;
        }

        private Node? Union(UnionSchema schema)
        {
            var count = schema.Count;
            var tests = new BranchTest?[count];
            var writers = new Node[count];
            var nullIndex = -1;
            for (var i = 0; i < count; i++)
            {
                var branch = schema[i];
                if (Build(branch) is not { } writer)
                {
                    return null;
                }

                writers[i] = writer;
                if (branch.Tag == AvroSchema.Type.Null)
                {
                    nullIndex = nullIndex < 0 ? i : nullIndex;
                }
                else if (BranchTest.For(branch) is { } test)
                {
                    tests[i] = test;
                }
                else
                {
                    return null;
                }
            }

            // ["null", X] or [X, "null"]: null takes the null branch, anything else X's or none.
            return count == 2 && nullIndex >= 0 && tests[1 - nullIndex] is { } other
                ? new NullableNode(schema, nullIndex, 1 - nullIndex, other, writers[1 - nullIndex])
                : new UnionNode(schema, tests, writers, nullIndex);
        }
    }

    private abstract class Node
    {
        public abstract void Write(object? value, AvroBinaryWriter writer);
    }

    private sealed class NullNode : Node
    {
        public static readonly NullNode Instance = new();

        public override void Write(object? value, AvroBinaryWriter writer)
        {
            if (value is not null)
            {
                throw TypeMismatch(value, "null", "null");
            }
        }
    }

    private sealed class BooleanNode : Node
    {
        public static readonly BooleanNode Instance = new();

        public override void Write(object? value, AvroBinaryWriter writer) =>
            writer.WriteBoolean(value is bool b ? b : throw TypeMismatch(value, nameof(AvroSchema.Type.Boolean), typeof(bool).ToString()));
    }

    private sealed class IntNode : Node
    {
        public static readonly IntNode Instance = new();

        public override void Write(object? value, AvroBinaryWriter writer) =>
            writer.WriteLong(value is int i ? i : throw TypeMismatch(value, nameof(AvroSchema.Type.Int), typeof(int).ToString()));
    }

    private sealed class LongNode : Node
    {
        public static readonly LongNode Instance = new();

        public override void Write(object? value, AvroBinaryWriter writer) =>
            writer.WriteLong(value is long l ? l : throw TypeMismatch(value, nameof(AvroSchema.Type.Long), typeof(long).ToString()));
    }

    private sealed class FloatNode : Node
    {
        public static readonly FloatNode Instance = new();

        public override void Write(object? value, AvroBinaryWriter writer) =>
            writer.WriteFloat(value is float f ? f : throw TypeMismatch(value, nameof(AvroSchema.Type.Float), typeof(float).ToString()));
    }

    private sealed class DoubleNode : Node
    {
        public static readonly DoubleNode Instance = new();

        public override void Write(object? value, AvroBinaryWriter writer) =>
            writer.WriteDouble(value is double d ? d : throw TypeMismatch(value, nameof(AvroSchema.Type.Double), typeof(double).ToString()));
    }

    private sealed class StringNode : Node
    {
        public static readonly StringNode Instance = new();

        public override void Write(object? value, AvroBinaryWriter writer) =>
            writer.WriteString(value as string ?? throw TypeMismatch(value, nameof(AvroSchema.Type.String), typeof(string).ToString()));
    }

    private sealed class BytesNode : Node
    {
        public static readonly BytesNode Instance = new();

        public override void Write(object? value, AvroBinaryWriter writer) =>
            writer.WriteBytes(value as byte[] ?? throw TypeMismatch(value, nameof(AvroSchema.Type.Bytes), typeof(byte[]).ToString()));
    }

    private sealed class FixedNode : Node
    {
        public static readonly FixedNode Instance = new();

        // As SpecificDatumWriter.WriteFixed: the value's bytes, whatever their count.
        public override void Write(object? value, AvroBinaryWriter writer) =>
            writer.WriteFixed((value as SpecificFixed ?? throw new AvroTypeException("Fixed object is not derived from SpecificFixed")).Value);
    }

    private sealed class RecordNode : Node
    {
        private int[] _positions = [];
        private Node[] _writers = [];
        private string[] _names = [];

        // The writer compiled for the record type met first (see RecordWriterCompiler); other types take the plan.
        private CompiledRecord? _compiled;
        private bool _compileTried;

        public Type? CompiledType => Volatile.Read(ref _compiled)?.Type;

        public void Init(int[] positions, Node[] writers, string[] names)
        {
            _positions = positions;
            _writers = writers;
            _names = names;
        }

        public override void Write(object? value, AvroBinaryWriter writer)
        {
            if (Volatile.Read(ref _compiled) is { } compiled && value is not null && value.GetType() == compiled.Type)
            {
                compiled.Write(value, writer);
                return;
            }

            if (!Volatile.Read(ref _compileTried) && value is ISpecificRecord sample)
            {
                Volatile.Write(ref _compiled, RecordWriterCompiler.TryCompile(sample, _positions, _writers, _names));
                Volatile.Write(ref _compileTried, true);
            }

            // A cast and a call on the value, as SpecificDatumWriter.WriteRecordFields: null or a non-record throws as there.
            var record = (ISpecificRecord)value!;
            var positions = _positions;
            var writers = _writers;
            for (var i = 0; i < writers.Length; i++)
            {
                writers[i].Write(record.Get(positions[i]), writer);
            }
        }
    }

    private sealed record CompiledRecord(Type Type, Action<object, AvroBinaryWriter> Write);

    /// <summary>
    /// A record type's fields written through its typed properties, compiled once: no <see cref="ISpecificRecord.Get"/>
    /// dispatch, no boxing of numbers, and strings, numbers and their ["null", X] unions written directly. A field whose
    /// property is missing, of another type, or not the value <c>Get</c> returns for the first record (a hand-written
    /// record, say) is read with <c>Get</c>; any other kind (records, arrays, maps, logical values, wider unions) goes
    /// to its planned writer with the property's value, so what is written, and what throws, is the plan's.
    /// </summary>
    private static class RecordWriterCompiler
    {
        public static CompiledRecord? TryCompile(ISpecificRecord sample, int[] positions, Node[] writers, string[] names)
        {
            try
            {
                var type = sample.GetType();
                var value = Expression.Parameter(typeof(object), "value");
                var output = Expression.Parameter(typeof(AvroBinaryWriter), "output");
                var record = Expression.Variable(type, "record");
                var body = new List<Expression> { Expression.Assign(record, Expression.Convert(value, type)) };
                for (var i = 0; i < writers.Length; i++)
                {
                    body.Add(Field(sample, record, output, positions[i], names[i], writers[i]));
                }

                var lambda = Expression.Lambda<Action<object, AvroBinaryWriter>>(Expression.Block([record], body), value, output);
                return new CompiledRecord(type, lambda.Compile());
            }
            catch (Exception)
            {
                // A type the compiler cannot read (an ambiguous property, a getter that throws on the sample): the plan
                // writes its records as before.
                return null;
            }
        }

        private static Expression Field(ISpecificRecord sample, ParameterExpression record, ParameterExpression output, int position, string name, Node node)
        {
            var property = record.Type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
            if (property is not { CanRead: true } || property.GetIndexParameters().Length > 0
                || property.GetMethod is not { IsPublic: true } || !Equals(property.GetValue(sample), sample.Get(position)))
            {
                return Planned(node, Expression.Call(Expression.Convert(record, typeof(ISpecificRecord)), GetMethod, Expression.Constant(position)), output);
            }

            var value = Expression.Property(record, property);
            return Direct(node, value, output) ?? Planned(node, Expression.Convert(value, typeof(object)), output);
        }

        /// <summary>The written form of a string, a number or a ["null", X] of one, read from a property of its own type; null for other kinds.</summary>
        private static Expression? Direct(Node node, MemberExpression value, ParameterExpression output)
        {
            var type = value.Type;
            switch (node)
            {
                case StringNode when type == typeof(string):
                    // A null string is the plan's error.
                    return WithLocal(value, text => Expression.IfThenElse(
                        Expression.NotEqual(text, Expression.Constant(null, typeof(string))),
                        Expression.Call(output, nameof(AvroBinaryWriter.WriteString), null, text),
                        Planned(node, Expression.Constant(null), output)));
                case NullableNode nullable when Nullable.GetUnderlyingType(type) is { } underlying && ScalarMethod(nullable.Inner, underlying) is not null:
                    return WithLocal(value, optional => Expression.IfThenElse(
                        Expression.Property(optional, "HasValue"),
                        Expression.Block(
                            WriteIndex(output, nullable.ValueIndex),
                            Scalar(nullable.Inner, underlying, Expression.Property(optional, "Value"), output)!),
                        WriteIndex(output, nullable.NullIndex)));
                case NullableNode { Inner: StringNode } nullableText when type == typeof(string):
                    return WithLocal(value, maybe => Expression.IfThenElse(
                        Expression.Equal(maybe, Expression.Constant(null, typeof(string))),
                        WriteIndex(output, nullableText.NullIndex),
                        Expression.Block(
                            WriteIndex(output, nullableText.ValueIndex),
                            Expression.Call(output, nameof(AvroBinaryWriter.WriteString), null, maybe))));
                default:
                    return Scalar(node, type, value, output);
            }
        }

        /// <summary>The writer's method for a number or boolean of the node's own type (an int is widened to long); null otherwise.</summary>
        private static string? ScalarMethod(Node node, Type type) => node switch
        {
            BooleanNode when type == typeof(bool) => nameof(AvroBinaryWriter.WriteBoolean),
            IntNode when type == typeof(int) => nameof(AvroBinaryWriter.WriteLong),
            LongNode when type == typeof(long) => nameof(AvroBinaryWriter.WriteLong),
            FloatNode when type == typeof(float) => nameof(AvroBinaryWriter.WriteFloat),
            DoubleNode when type == typeof(double) => nameof(AvroBinaryWriter.WriteDouble),
            _ => null,
        };

        /// <summary>A number or boolean written as its node writes it, when the value is of the node's own type.</summary>
        private static MethodCallExpression? Scalar(Node node, Type type, Expression value, ParameterExpression output) =>
            ScalarMethod(node, type) is { } method
                ? Expression.Call(output, method, null, type == typeof(int) ? Expression.Convert(value, typeof(long)) : value)
                : null;

        /// <summary>The property read once into a local, then <paramref name="body"/> over that local.</summary>
        private static BlockExpression WithLocal(Expression value, Func<ParameterExpression, Expression> body)
        {
            var local = Expression.Variable(value.Type, "value");
            return Expression.Block([local], Expression.Assign(local, value), body(local));
        }

        private static MethodCallExpression WriteIndex(ParameterExpression output, int index) =>
            Expression.Call(output, nameof(AvroBinaryWriter.WriteLong), null, Expression.Constant((long)index));

        private static MethodCallExpression Planned(Node node, Expression value, ParameterExpression output) =>
            Expression.Call(Expression.Constant(node, typeof(Node)), WriteNodeMethod, value, output);

        private static readonly MethodInfo GetMethod = typeof(ISpecificRecord).GetMethod(nameof(ISpecificRecord.Get))!;

        private static readonly MethodInfo WriteNodeMethod = typeof(Node).GetMethod(nameof(Node.Write))!;
    }

    /// <summary>As SpecificDatumWriter.ResolveEnum: the generated enum's values translated to the schema's ordinals.</summary>
    private sealed class EnumNode : Node
    {
        private readonly EnumSchema _schema;
        private readonly Type _type;
        private readonly int[] _translator;

        public EnumNode(EnumSchema schema)
        {
            _schema = schema;
            _type = ObjectCreator.Instance.GetType(schema);
            var names = Enum.GetNames(_type);
            _translator = new int[names.Length];
            for (var i = 0; i < names.Length; i++)
            {
                _translator[i] = schema.Contains(names[i]) ? schema.Ordinal(names[i]) : -1;
            }
        }

        public override void Write(object? value, AvroBinaryWriter writer)
        {
            if (value is null)
            {
                throw new AvroTypeException("value is null in SpecificDefaultWriter.WriteEnum");
            }

            if (value.GetType() == _type)
            {
                var translated = _translator[(int)value];
                writer.WriteLong(translated != -1 ? translated : throw new AvroTypeException("Unknown enum value:" + value));
            }
            else
            {
                writer.WriteLong(_schema.Ordinal(value.ToString()));
            }
        }
    }

    private sealed class ArrayNode(Node item) : Node
    {
        public override void Write(object? value, AvroBinaryWriter writer)
        {
            var list = value as IList ?? throw new AvroTypeException("Array does not implement non-generic IList");
            var count = list.Count;
            if (count > 0)
            {
                writer.WriteLong(count);
            }

            if (value is List<string> strings && item is StringNode)
            {
                for (var i = 0; i < strings.Count; i++)
                {
                    item.Write(strings[i], writer);
                }
            }
            else
            {
                for (var i = 0; i < list.Count; i++)
                {
                    item.Write(list[i], writer);
                }
            }

            writer.WriteLong(0);
        }
    }

    private sealed class MapNode(Node item) : Node
    {
        public override void Write(object? value, AvroBinaryWriter writer)
        {
            var map = value as IDictionary ?? throw TypeMismatch(value, "map", "IDictionary");
            var count = map.Count;
            if (count > 0)
            {
                writer.WriteLong(count);
            }

            if (value is Dictionary<string, string> strings)
            {
                // Same order as the non-generic enumeration the Avro writer uses: both walk the entries in insertion slots.
                foreach (var entry in strings)
                {
                    writer.WriteString(entry.Key);
                    item.Write(entry.Value, writer);
                }
            }
            else
            {
                foreach (DictionaryEntry entry in map)
                {
                    writer.WriteString(entry.Key.ToString()!);
                    item.Write(entry.Value, writer);
                }
            }

            writer.WriteLong(0);
        }
    }

    private sealed class LogicalNode(LogicalSchema schema, Node baseNode) : Node
    {
        public override void Write(object? value, AvroBinaryWriter writer) =>
            baseNode.Write(schema.LogicalType.ConvertToBaseValue(value, schema), writer);
    }

    /// <summary>A two-branch union with a null branch: the null branch for null, else the other branch when it matches.</summary>
    private sealed class NullableNode(UnionSchema schema, int nullIndex, int valueIndex, BranchTest test, Node writer) : Node
    {
        public int NullIndex => nullIndex;

        public int ValueIndex => valueIndex;

        public Node Inner => writer;

        public override void Write(object? value, AvroBinaryWriter output)
        {
            if (value is null)
            {
                output.WriteLong(nullIndex);
                return;
            }

            if (!test.Matches(value))
            {
                throw new AvroException("Cannot find a match for " + value.GetType() + " in " + schema);
            }

            output.WriteLong(valueIndex);
            writer.Write(value, output);
        }
    }

    /// <summary>Any union: the first branch whose test passes, as PreresolvingDatumWriter.ResolveUnion.</summary>
    private sealed class UnionNode(UnionSchema schema, BranchTest?[] tests, Node[] writers, int nullIndex) : Node
    {
        public override void Write(object? value, AvroBinaryWriter writer)
        {
            var index = -1;
            if (value is null)
            {
                index = nullIndex;
            }
            else
            {
                for (var i = 0; i < tests.Length; i++)
                {
                    if (tests[i] is { } test && test.Matches(value))
                    {
                        index = i;
                        break;
                    }
                }
            }

            if (index < 0)
            {
                // value!.GetType(): a null with no null branch fails here as it does in the Avro writer.
                throw new AvroException("Cannot find a match for " + value!.GetType() + " in " + schema);
            }

            writer.WriteLong(index);
            writers[index].Write(value, writer);
        }
    }

    /// <summary>SpecificDatumWriter.UnionBranchMatches for a non-null value, one class per branch kind.</summary>
    private abstract class BranchTest
    {
        public abstract bool Matches(object value);

        /// <summary>The test of a non-null branch; null for a kind this encoder does not know.</summary>
        public static BranchTest? For(AvroSchema branch) => branch.Tag switch
        {
            AvroSchema.Type.Boolean => new TypeTest<bool>(),
            AvroSchema.Type.Int => new TypeTest<int>(),
            AvroSchema.Type.Long => new TypeTest<long>(),
            AvroSchema.Type.Float => new TypeTest<float>(),
            AvroSchema.Type.Double => new TypeTest<double>(),
            AvroSchema.Type.Bytes => new TypeTest<byte[]>(),
            AvroSchema.Type.String => new TypeTest<string>(),
            AvroSchema.Type.Record or AvroSchema.Type.Error => new RecordTest((RecordSchema)branch),
            AvroSchema.Type.Enumeration => new EnumTest((EnumSchema)branch),
            AvroSchema.Type.Array => new TypeTest<IList>(),
            AvroSchema.Type.Map => new TypeTest<IDictionary>(),
            AvroSchema.Type.Fixed => new FixedTest((FixedSchema)branch),
            AvroSchema.Type.Logical => new LogicalTest((LogicalSchema)branch),
            AvroSchema.Type.Union => new NeverTest(),
            _ => null,
        };
    }

    /// <summary>A union directly within a union, which the Avro writer never matches.</summary>
    private sealed class NeverTest : BranchTest
    {
        public override bool Matches(object value) => false;
    }

    private sealed class TypeTest<TValue> : BranchTest
    {
        public override bool Matches(object value) => value is TValue;
    }

    /// <summary>
    /// The value's schema has the branch's full name. A generated type returns one schema instance for all its
    /// records, so the last instance that matched is remembered and an identical reference matches at once.
    /// </summary>
    private sealed class RecordTest(RecordSchema branch) : BranchTest
    {
        private AvroSchema? _matched;

        public override bool Matches(object value)
        {
            if (value is not ISpecificRecord record)
            {
                return false;
            }

            var schema = record.Schema;
            if (ReferenceEquals(schema, _matched))
            {
                return true;
            }

            // As the Avro writer: a record whose Schema is not a record schema fails with a null reference here too.
            if ((schema as RecordSchema)!.SchemaName.Equals(branch.SchemaName))
            {
                _matched = schema;
                return true;
            }

            return false;
        }
    }

    private sealed class EnumTest(EnumSchema branch) : BranchTest
    {
        public override bool Matches(object value) => value.GetType().IsEnum && branch.Symbols.Contains(value.ToString()!);
    }

    private sealed class FixedTest(FixedSchema branch) : BranchTest
    {
        public override bool Matches(object value) =>
            value is SpecificFixed specific && (specific.Schema as FixedSchema)!.SchemaName.Equals(branch.SchemaName);
    }

    private sealed class LogicalTest(LogicalSchema branch) : BranchTest
    {
        public override bool Matches(object value) => branch.LogicalType.IsInstanceOfLogicalType(value);
    }
}
