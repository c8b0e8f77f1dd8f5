using Confluent.Kafka;

namespace Streams.Runtime.Serdes;

/// <summary>A serializer and deserializer pair for one type, as stores and sources need both directions.</summary>
public sealed record Serde<T>(ISerializer<T> Serializer, IDeserializer<T> Deserializer)
{
    public byte[]? Serialize(T value, string topic, MessageComponentType component = MessageComponentType.Value) =>
        Serializer.Serialize(value, new SerializationContext(component, topic));

    public T Deserialize(byte[]? data, string topic, MessageComponentType component = MessageComponentType.Value) =>
        Deserializer.Deserialize(data, data is null, new SerializationContext(component, topic));
}

/// <summary>The built-in serdes, on Confluent.Kafka's own serializers (so bytes match every other Kafka client).</summary>
public static class Serdes
{
    public static Serde<string> String { get; } = new(Serializers.Utf8, Deserializers.Utf8);

    public static Serde<long> Long { get; } = new(Serializers.Int64, Deserializers.Int64);

    public static Serde<int> Int { get; } = new(Serializers.Int32, Deserializers.Int32);

    public static Serde<byte[]> ByteArray { get; } = new(Serializers.ByteArray, Deserializers.ByteArray);

    public static Serde<Null> Null { get; } = new(Serializers.Null, Deserializers.Null);
}
