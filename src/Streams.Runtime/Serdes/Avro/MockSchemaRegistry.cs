using System.Collections.Concurrent;
using System.Net;
using Confluent.SchemaRegistry;
using AvroSchema = Avro.Schema;

namespace Streams.Runtime.Serdes.Avro;

/// <summary>
/// The in-process registry behind <c>mock://&lt;scope&gt;</c> URLs (the convention of Confluent's Java serdes):
/// every client of the same scope in this process shares one registry with ids, versions, subjects and BACKWARD
/// compatibility checks. Used by the embedded default and tests; a real URL gets Confluent's own client.
/// </summary>
public sealed class MockSchemaRegistry : ISchemaRegistryClient
{
    private static readonly ConcurrentDictionary<string, MockSchemaRegistry> Scopes = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _idBySchema = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _schemaById = [];
    private readonly Dictionary<string, List<int>> _idsBySubject = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Compatibility> _compatibility = new(StringComparer.Ordinal);
    private Compatibility _globalCompatibility = Compatibility.Backward;

    private MockSchemaRegistry(string scope) => Scope = scope;

    public string Scope { get; }

    public IEnumerable<KeyValuePair<string, string>> Config => [new("schema.registry.url", "mock://" + Scope)];

    public IAuthenticationHeaderValueProvider AuthHeaderProvider => null!;

    public IWebProxy Proxy => null!;

    public int MaxCachedSchemas => 1000;

    /// <summary>The registry of a scope, created on first use and shared for the life of the process.</summary>
    public static MockSchemaRegistry ForScope(string scope) => Scopes.GetOrAdd(scope, s => new MockSchemaRegistry(s));

    /// <summary>Forgets a scope (tests that want a fresh registry under a reused name).</summary>
    public static void DropScope(string scope) => Scopes.TryRemove(scope, out _);

    public Task<int> RegisterSchemaAsync(string subject, Schema schema, bool normalize = false) => Task.FromResult(Register(subject, schema.SchemaString));

    public Task<int> RegisterSchemaAsync(string subject, string avroSchema, bool normalize = false) => Task.FromResult(Register(subject, avroSchema));

    public Task<RegisteredSchema> RegisterSchemaWithResponseAsync(string subject, Schema schema, bool normalize = false)
    {
        var id = Register(subject, schema.SchemaString);
        lock (_gate)
        {
            return Task.FromResult(Registered(subject, id));
        }
    }

    public Task<int> GetSchemaIdAsync(string subject, string avroSchema, bool normalize = false) => Task.FromResult(Find(subject, avroSchema).Id);

    public Task<int> GetSchemaIdAsync(string subject, Schema schema, bool normalize = false) => Task.FromResult(Find(subject, schema.SchemaString).Id);

    public Task<RegisteredSchema> LookupSchemaAsync(string subject, Schema schema, bool ignoreDeletedSchemas, bool normalize = false) =>
        Task.FromResult(Find(subject, schema.SchemaString));

    public Task<Schema> GetSchemaAsync(int id, string format = null!)
    {
        lock (_gate)
        {
            return _schemaById.TryGetValue(id, out var s)
                ? Task.FromResult(new Schema(s, SchemaType.Avro))
                : throw new SchemaRegistryException($"Schema {id} not found", HttpStatusCode.NotFound, 40403);
        }
    }

    public Task<Schema> GetSchemaBySubjectAndIdAsync(string subject, int id, string format = null!) => GetSchemaAsync(id, format);

    public Task<RegisteredSchema> GetLatestSchemaAsync(string subject)
    {
        lock (_gate)
        {
            return Task.FromResult(Registered(subject, Versions(subject)[^1]));
        }
    }

    public Task<RegisteredSchema> GetRegisteredSchemaAsync(string subject, int version, bool ignoreDeletedSchemas = true)
    {
        lock (_gate)
        {
            var ids = Versions(subject);
            return version >= 1 && version <= ids.Count
                ? Task.FromResult(Registered(subject, ids[version - 1]))
                : throw new SchemaRegistryException($"Version {version} not found", HttpStatusCode.NotFound, 40402);
        }
    }

    public async Task<string> GetSchemaAsync(string subject, int version) => (await GetRegisteredSchemaAsync(subject, version)).SchemaString;

    public Task<List<int>> GetSubjectVersionsAsync(string subject)
    {
        lock (_gate)
        {
            return Task.FromResult(Enumerable.Range(1, Versions(subject).Count).ToList());
        }
    }

    public Task<List<string>> GetAllSubjectsAsync()
    {
        lock (_gate)
        {
            return Task.FromResult(_idsBySubject.Keys.ToList());
        }
    }

    public Task<bool> IsCompatibleAsync(string subject, Schema schema) => IsCompatibleAsync(subject, schema.SchemaString);

    public Task<bool> IsCompatibleAsync(string subject, string avroSchema)
    {
        lock (_gate)
        {
            return Task.FromResult(Incompatibility(subject, avroSchema) is null);
        }
    }

    public Task<Compatibility> GetCompatibilityAsync(string subject = null!)
    {
        lock (_gate)
        {
            return Task.FromResult(subject is not null && _compatibility.TryGetValue(subject, out var c) ? c : _globalCompatibility);
        }
    }

    public Task<Compatibility> UpdateCompatibilityAsync(Compatibility compatibility, string subject = null!)
    {
        lock (_gate)
        {
            if (subject is null)
            {
                _globalCompatibility = compatibility;
            }
            else
            {
                _compatibility[subject] = compatibility;
            }

            return Task.FromResult(compatibility);
        }
    }

    public string ConstructKeySubjectName(string topic, string recordType = null!) => $"{topic}-key";

    public string ConstructValueSubjectName(string topic, string recordType = null!) => $"{topic}-value";

    // Confluent's default subject strategy asks for associations first and falls back to the topic name when there are none.
    public Task<List<Association>> GetAssociationsByResourceNameAsync(
        string resourceName, string resourceNamespace, string resourceType, List<string> associationTypes, string lifecycle, int offset, int limit) =>
        Task.FromResult(new List<Association>());

    public Task<RegisteredSchema> GetLatestWithMetadataAsync(string subject, IDictionary<string, string> metadata, bool ignoreDeletedSchemas) =>
        throw new NotSupportedException("the mock:// registry keeps no schema metadata");

    public Task<Schema> GetSchemaByGuidAsync(string guid, string format = null!) =>
        throw new NotSupportedException("the mock:// registry identifies schemas by id only");

    public Task<AssociationResponse> CreateAssociationAsync(AssociationCreateOrUpdateRequest request) =>
        throw new NotSupportedException("the mock:// registry has no associations");

    public Task DeleteAssociationsAsync(string resourceId, string resourceType, List<string> associationTypes, bool cascadeLifecycle) =>
        throw new NotSupportedException("the mock:// registry has no associations");

    public void ClearLatestCaches()
    {
    }

    public void ClearCaches()
    {
    }

    public void Dispose()
    {
        // Shared by every client of the scope: nothing to release per client.
    }

    private int Register(string subject, string schema)
    {
        lock (_gate)
        {
            AvroSchema parsed;
            try
            {
                parsed = AvroSchema.Parse(schema);
            }
            catch (Exception ex)
            {
                throw new SchemaRegistryException("Invalid schema: " + ex.Message, HttpStatusCode.UnprocessableEntity, 42201);
            }

            var canonical = parsed.ToString();
            var ids = _idsBySubject.TryGetValue(subject, out var existing) ? existing : null;
            if (_idBySchema.TryGetValue(canonical, out var known) && ids is not null && ids.Contains(known))
            {
                return known;
            }

            if (Incompatibility(subject, schema) is { } problem)
            {
                throw new SchemaRegistryException($"Schema being registered is incompatible with an earlier schema for subject \"{subject}\": {problem}", HttpStatusCode.Conflict, 409);
            }

            if (!_idBySchema.TryGetValue(canonical, out var id))
            {
                id = _idBySchema.Count + 1;
                _idBySchema.Add(canonical, id);
                _schemaById.Add(id, canonical);
            }

            (ids ??= _idsBySubject[subject] = []).Add(id);
            return id;
        }
    }

    // Callers hold the gate. BACKWARD: the new schema must read data written with the latest one.
    private string? Incompatibility(string subject, string schema)
    {
        var level = _compatibility.TryGetValue(subject, out var c) ? c : _globalCompatibility;
        if (level == Compatibility.None || !_idsBySubject.TryGetValue(subject, out var ids) || ids.Count == 0)
        {
            return null;
        }

        var candidate = AvroSchema.Parse(schema);
        var latest = AvroSchema.Parse(_schemaById[ids[^1]]);
        var backward = candidate.CanRead(latest);
        var forward = latest.CanRead(candidate);
        return level switch
        {
            Compatibility.Backward or Compatibility.BackwardTransitive when !backward => "the new schema cannot read data written with the latest version",
            Compatibility.Forward or Compatibility.ForwardTransitive when !forward => "the latest version cannot read data written with the new schema",
            Compatibility.Full or Compatibility.FullTransitive when !(backward && forward) => "the schemas cannot read each other's data",
            _ => null,
        };
    }

    private List<int> Versions(string subject) =>
        _idsBySubject.TryGetValue(subject, out var ids) && ids.Count > 0
            ? ids
            : throw new SchemaRegistryException($"Subject '{subject}' not found.", HttpStatusCode.NotFound, 40401);

    private RegisteredSchema Find(string subject, string schema)
    {
        lock (_gate)
        {
            var canonical = AvroSchema.Parse(schema).ToString();
            if (_idBySchema.TryGetValue(canonical, out var id) && _idsBySubject.TryGetValue(subject, out var ids) && ids.Contains(id))
            {
                return Registered(subject, id);
            }

            throw new SchemaRegistryException($"Schema not found under subject '{subject}'", HttpStatusCode.NotFound, 40403);
        }
    }

    private RegisteredSchema Registered(string subject, int id) =>
        new(subject, _idsBySubject[subject].IndexOf(id) + 1, id, _schemaById[id], SchemaType.Avro, []);
}
