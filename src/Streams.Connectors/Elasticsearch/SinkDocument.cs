namespace Streams.Connectors.Elasticsearch;

/// <summary>What a record becomes in Elasticsearch: the daily index, the document id and the rendered JSON.</summary>
public sealed record SinkDocument(string Index, string Id, ReadOnlyMemory<byte> Json);
