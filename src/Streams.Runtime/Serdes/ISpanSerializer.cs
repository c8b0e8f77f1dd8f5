using Confluent.Kafka;

namespace Streams.Runtime.Serdes;

/// <summary>
/// A serializer that can lend its output instead of returning an array of its own: the bytes stay valid until the
/// next serialize call on the same thread, so the caller copies them (into the held output) before anything else is
/// serialized. A sink uses it where it can, and the array-returning <see cref="ISerializer{T}.Serialize"/> otherwise.
/// </summary>
internal interface ISpanSerializer<in T>
{
    /// <summary>False when this record is left to <see cref="ISerializer{T}.Serialize"/> (null, a first record of a topic, an error).</summary>
    bool TrySerialize(T data, SerializationContext context, out ReadOnlySpan<byte> bytes);
}
