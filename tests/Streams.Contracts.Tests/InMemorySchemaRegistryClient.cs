using Confluent.SchemaRegistry;

namespace Streams.Contracts.Tests;

/// <summary>
/// Just enough of a Schema Registry for Confluent's Avro serializer and deserializer to run without a server:
/// registering, looking up and fetching schemas. Everything else throws.
/// </summary>
internal sealed class InMemorySchemaRegistryClient : ISchemaRegistryClient
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, int> idBySchema = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> schemaById = [];
    private readonly Dictionary<string, List<int>> idsBySubject = new(StringComparer.Ordinal);

    public IEnumerable<KeyValuePair<string, string>> Config { get; } = [];

    public IAuthenticationHeaderValueProvider AuthHeaderProvider => null!;

    public System.Net.IWebProxy Proxy => null!;

    public int MaxCachedSchemas => 1000;

    /// <summary>Subjects in the order they were first registered.</summary>
    public IReadOnlyList<string> Subjects
    {
        get
        {
            lock (gate)
            {
                return [.. idsBySubject.Keys];
            }
        }
    }

    public string SchemaOf(int id)
    {
        lock (gate)
        {
            return schemaById[id];
        }
    }

    public Task<int> RegisterSchemaAsync(string subject, Schema schema, bool normalize = false) =>
        Task.FromResult(Register(subject, schema.SchemaString));

    public Task<int> RegisterSchemaAsync(string subject, string avroSchema, bool normalize = false) =>
        Task.FromResult(Register(subject, avroSchema));

    public Task<RegisteredSchema> RegisterSchemaWithResponseAsync(string subject, Schema schema, bool normalize = false)
    {
        lock (gate)
        {
            return Task.FromResult(Registered(subject, Register(subject, schema.SchemaString)));
        }
    }

    public Task<int> GetSchemaIdAsync(string subject, string avroSchema, bool normalize = false) =>
        Task.FromResult(Find(subject, avroSchema).Id);

    public Task<int> GetSchemaIdAsync(string subject, Schema schema, bool normalize = false) =>
        Task.FromResult(Find(subject, schema.SchemaString).Id);

    public Task<RegisteredSchema> LookupSchemaAsync(string subject, Schema schema, bool ignoreDeletedSchemas, bool normalize = false) =>
        Task.FromResult(Find(subject, schema.SchemaString));

    public Task<Schema> GetSchemaAsync(int id, string format = null!) =>
        Task.FromResult(new Schema(SchemaOf(id), SchemaType.Avro));

    public Task<Schema> GetSchemaBySubjectAndIdAsync(string subject, int id, string format = null!) =>
        GetSchemaAsync(id, format);

    public Task<RegisteredSchema> GetLatestSchemaAsync(string subject)
    {
        lock (gate)
        {
            return Task.FromResult(Registered(subject, idsBySubject[subject][^1]));
        }
    }

    public Task<RegisteredSchema> GetRegisteredSchemaAsync(string subject, int version, bool ignoreDeletedSchemas = true)
    {
        lock (gate)
        {
            return Task.FromResult(Registered(subject, idsBySubject[subject][version - 1]));
        }
    }

    public async Task<string> GetSchemaAsync(string subject, int version) =>
        (await GetRegisteredSchemaAsync(subject, version)).SchemaString;

    public Task<List<int>> GetSubjectVersionsAsync(string subject)
    {
        lock (gate)
        {
            return Task.FromResult(Enumerable.Range(1, idsBySubject[subject].Count).ToList());
        }
    }

    public Task<List<string>> GetAllSubjectsAsync() => Task.FromResult(Subjects.ToList());

    public string ConstructKeySubjectName(string topic, string recordType = null!) => $"{topic}-key";

    public string ConstructValueSubjectName(string topic, string recordType = null!) => $"{topic}-value";

    public void ClearLatestCaches()
    {
    }

    public void ClearCaches()
    {
    }

    public void Dispose()
    {
    }

    public Task<RegisteredSchema> GetLatestWithMetadataAsync(string subject, IDictionary<string, string> metadata, bool ignoreDeletedSchemas) =>
        throw new NotSupportedException();

    public Task<Schema> GetSchemaByGuidAsync(string guid, string format = null!) => throw new NotSupportedException();

    public Task<bool> IsCompatibleAsync(string subject, Schema schema) => throw new NotSupportedException();

    public Task<bool> IsCompatibleAsync(string subject, string avroSchema) => throw new NotSupportedException();

    public Task<Compatibility> GetCompatibilityAsync(string subject = null!) => throw new NotSupportedException();

    public Task<Compatibility> UpdateCompatibilityAsync(Compatibility compatibility, string subject = null!) => throw new NotSupportedException();

    public Task<AssociationResponse> CreateAssociationAsync(AssociationCreateOrUpdateRequest request) => throw new NotSupportedException();

    public Task DeleteAssociationsAsync(string resourceId, string resourceType, List<string> associationTypes, bool cascadeLifecycle) =>
        throw new NotSupportedException();

    // Confluent's default subject strategy asks for associations first and falls back to TopicNameStrategy when there are none.
    public Task<List<Association>> GetAssociationsByResourceNameAsync(
        string resourceName, string resourceNamespace, string resourceType, List<string> associationTypes, string lifecycle, int offset, int limit) =>
        Task.FromResult(new List<Association>());

    private int Register(string subject, string schema)
    {
        lock (gate)
        {
            if (!idBySchema.TryGetValue(schema, out var id))
            {
                id = idBySchema.Count + 1;
                idBySchema.Add(schema, id);
                schemaById.Add(id, schema);
            }

            var ids = idsBySubject.TryGetValue(subject, out var existing) ? existing : idsBySubject[subject] = [];
            if (!ids.Contains(id))
            {
                ids.Add(id);
            }

            return id;
        }
    }

    private RegisteredSchema Find(string subject, string schema)
    {
        lock (gate)
        {
            if (idBySchema.TryGetValue(schema, out var id) && idsBySubject.TryGetValue(subject, out var ids) && ids.Contains(id))
            {
                return Registered(subject, id);
            }

            throw new SchemaRegistryException($"schema not registered under {subject}", System.Net.HttpStatusCode.NotFound, 40403);
        }
    }

    // Callers hold the gate.
    private RegisteredSchema Registered(string subject, int id)
    {
        var version = idsBySubject[subject].IndexOf(id) + 1;
        return new RegisteredSchema(subject, version, id, schemaById[id], SchemaType.Avro, []);
    }
}
