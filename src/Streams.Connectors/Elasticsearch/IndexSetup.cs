using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;

namespace Streams.Connectors.Elasticsearch;

/// <summary>
/// Puts the ILM policy and one composable index template per source in place before the first document of a
/// daily index <c>&lt;prefix&gt;-&lt;source&gt;-yyyy.MM.dd</c> is written, so the index is created with them.
/// PUT replaces with identical content, so installing again (another instance, a restart) is harmless.
/// </summary>
public sealed class IndexSetup
{
    /// <summary>Bumped whenever the shape of what is installed changes; kept in the templates' and policy's <c>_meta</c>.</summary>
    public const int SetupVersion = 1;

    private readonly ElasticsearchHttpClient _http;
    private readonly ElasticsearchOptions _options;
    private readonly Func<string, ReadOnlyMemory<byte>> _mappingsForSource;
    private readonly Backoff _backoff;
    private readonly ConcurrentDictionary<string, Lazy<Task>> _installed = new(StringComparer.Ordinal);

    /// <param name="mappingsForSource">The <c>mappings</c> JSON object of a source's template (generated elsewhere).</param>
    public IndexSetup(ElasticsearchHttpClient http, ElasticsearchOptions options, Func<string, ReadOnlyMemory<byte>> mappingsForSource)
    {
        _http = http;
        _options = options;
        _mappingsForSource = mappingsForSource;
        _backoff = Backoff.From(options);
    }

    public string TemplateName(string source) => $"{_options.IndexPrefix}-{source}";

    /// <summary>The daily index of <paramref name="source"/> for <paramref name="day"/>, named so ILM can parse its date.</summary>
    public string IndexName(string source, DateOnly day) => $"{_options.IndexPrefix}-{source}-{day:yyyy.MM.dd}";

    /// <summary>The source of <c>&lt;prefix&gt;-&lt;source&gt;-yyyy.MM.dd</c>; throws for any other name.</summary>
    public string SourceOf(string index)
    {
        var prefix = _options.IndexPrefix + "-";
        const int DateLength = 11; // "-yyyy.MM.dd"
        if (!index.StartsWith(prefix, StringComparison.Ordinal) || index.Length <= prefix.Length + DateLength
            || !DateOnly.TryParseExact(index.AsSpan(index.Length - DateLength + 1), "yyyy.MM.dd", out _) || index[^DateLength] != '-')
        {
            throw new ArgumentException($"index '{index}' is not named {prefix}<source>-yyyy.MM.dd", nameof(index));
        }

        return index[prefix.Length..^DateLength];
    }

    /// <summary>Suits <see cref="BulkIndexer"/>'s beforeFirstWrite: installs the policy and the index's source template once.</summary>
    public Task PrepareIndexAsync(string index, CancellationToken cancellationToken) => InstallAsync(SourceOf(index), cancellationToken);

    public Task InstallAsync(string source, CancellationToken cancellationToken)
    {
        // The policy first, so that no index is ever created naming a policy that does not exist yet.
        var policy = Once("policy", ct => PutAsync($"_ilm/policy/{_options.IlmPolicyName}", PolicyBody(), ct));
        var template = Once("template:" + source, async ct =>
        {
            await policy;
            await PutAsync($"_index_template/{TemplateName(source)}", TemplateBody(source), ct);
        });
        return template.WaitAsync(cancellationToken);

        Task Once(string key, Func<CancellationToken, Task> install)
        {
            var lazy = _installed.GetOrAdd(key, _ => new Lazy<Task>(() => install(cancellationToken)));
            var task = lazy.Value;
            // A failed or cancelled install is forgotten so that the next write tries again.
            _ = task.ContinueWith(_ => _installed.TryRemove(new KeyValuePair<string, Lazy<Task>>(key, lazy)), CancellationToken.None, TaskContinuationOptions.NotOnRanToCompletion, TaskScheduler.Default);
            return task;
        }
    }

    /// <summary>
    /// <c>PUT _ilm/policy/&lt;name&gt;</c>: a hot phase with no actions (daily indices never roll over), then delete N days
    /// after the date in the index name.
    /// </summary>
    public byte[] PolicyBody() => Json(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("policy");
        WriteMeta(w);
        w.WriteStartObject("phases");
        w.WriteStartObject("hot");
        w.WriteStartObject("actions");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("delete");
        w.WriteString("min_age", $"{_options.IlmDeleteAfterDays}d");
        w.WriteStartObject("actions");
        w.WriteStartObject("delete");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>
    /// <c>PUT _index_template/&lt;prefix&gt;-&lt;source&gt;</c>. <c>parse_origination_date</c> makes ILM count age from the
    /// <c>-yyyy.MM.dd</c> suffix (pattern <c>^.*-{yyyy.MM.dd}(-\d+)?</c>) rather than the creation time, so a late backfill
    /// of an old day is deleted on schedule.
    /// </summary>
    public byte[] TemplateBody(string source) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("index_patterns");
        w.WriteStringValue($"{_options.IndexPrefix}-{source}-*");
        w.WriteEndArray();
        w.WriteNumber("priority", 200);
        w.WriteStartObject("template");
        w.WriteStartObject("settings");
        w.WriteNumber("number_of_shards", _options.NumberOfShards);
        w.WriteNumber("number_of_replicas", _options.NumberOfReplicas);
        w.WriteString("index.lifecycle.name", _options.IlmPolicyName);
        w.WriteBoolean("index.lifecycle.parse_origination_date", true);
        w.WriteEndObject();
        w.WritePropertyName("mappings");
        w.WriteRawValue(_mappingsForSource(source).Span);
        w.WriteEndObject();
        WriteMeta(w);
        w.WriteEndObject();
    });

    private static void WriteMeta(Utf8JsonWriter w)
    {
        w.WriteStartObject("_meta");
        w.WriteString("managed_by", "streams");
        w.WriteNumber("version", SetupVersion);
        w.WriteEndObject();
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private async Task PutAsync(string path, byte[] body, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var response = await _http.SendAsync(HttpMethod.Put, path, body, ElasticsearchHttpClient.JsonContentType, ct);
                if (response.IsSuccess)
                {
                    return;
                }

                if (response.StatusCode is not (429 or >= 500))
                {
                    throw new InvalidOperationException($"Elasticsearch refused PUT {path} with HTTP {response.StatusCode}: {response.BodyText}");
                }
            }
            catch (Exception ex) when (ElasticsearchHttpClient.IsTransient(ex, ct))
            {
                // Retried below like a 429/5xx.
            }

            await _backoff.WaitAsync(attempt, ct);
        }
    }
}
