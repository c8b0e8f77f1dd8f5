using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Streams.Runtime;

namespace Streams.Connectors.Elasticsearch;

/// <summary>
/// Batches <see cref="IndexRequest"/>s into <c>_bulk</c> requests (by count, bytes and linger) and reports one
/// <see cref="IndexResult"/> per request. Transient failures (connection errors, 429/5xx for the request or for an
/// item) are retried with <see cref="Backoff"/> and no time limit; only what Elasticsearch will never accept is
/// dead-lettered. Order: requests leave in the order added, but with <c>MaxInFlightRequests</c> &gt; 1 and item
/// retries they may land and be reported in any order. That is safe because every write is an op_type create of a
/// caller-chosen id (a replay is a 409, taken as success) and callers commit by contiguous completed positions.
/// </summary>
public sealed class BulkIndexer : IIndexTarget
{
    private readonly ElasticsearchHttpClient _http;
    private readonly ElasticsearchOptions _options;
    private readonly Backoff _backoff;
    private readonly Func<string, CancellationToken, Task>? _beforeFirstWrite;
    private readonly ConcurrentDictionary<string, Lazy<Task>> _preparedIndices = new(StringComparer.Ordinal);
    private readonly Channel<Entry> _input;
    private readonly Channel<IndexResult> _results = Channel.CreateUnbounded<IndexResult>();
    private readonly SemaphoreSlim _inFlight;
    private readonly ConcurrentDictionary<Task, byte> _sends = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _bulkRequestsSent;
    private int _disposed;

    /// <param name="beforeFirstWrite">Runs once per index before its first document is sent (see <see cref="IndexSetup.PrepareIndexAsync"/>).</param>
    public BulkIndexer(ElasticsearchHttpClient http, ElasticsearchOptions options, Func<string, CancellationToken, Task>? beforeFirstWrite = null)
    {
        options.Validate();
        _http = http;
        _options = options;
        _backoff = Backoff.From(options);
        _beforeFirstWrite = beforeFirstWrite;
        _inFlight = new SemaphoreSlim(options.MaxInFlightRequests);
        _input = Channel.CreateBounded<Entry>(new BoundedChannelOptions(QueueCapacity(options)) { SingleReader = true });
        _loop = Task.Run(BatchLoopAsync);
    }

    public ChannelReader<IndexResult> Results => _results.Reader;

    /// <summary>Number of <c>_bulk</c> requests sent so far, retries and halves included.</summary>
    public long BulkRequestsSent => Interlocked.Read(ref _bulkRequestsSent);

    /// <summary>Round trips of answered <c>_bulk</c> requests.</summary>
    public LatencyHistogram BulkLatency { get; } = new("sink_bulk_latency_seconds", "Time for Elasticsearch to answer a _bulk request", 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30);

    /// <summary>Documents Elasticsearch will never take, by its error type (mapper_parsing_exception, ...).</summary>
    public LabelledCounter ItemFailures { get; } = new("sink_bulk_item_failures_total", "Documents refused for good, by Elasticsearch error type");

    /// <summary>Requests that can wait to be batched before <see cref="AddAsync"/> waits for room.</summary>
    public static int QueueCapacity(ElasticsearchOptions options) => options.BulkMaxDocs * (options.MaxInFlightRequests + 2);

    public ValueTask AddAsync(IndexRequest request, CancellationToken cancellationToken) =>
        _input.Writer.WriteAsync(new Entry(request, null), cancellationToken);

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _input.Writer.WriteAsync(new Entry(null, done), cancellationToken);
        await done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stops at once: requests not yet answered get no result (a caller that commits by results replays them).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _input.Writer.TryComplete();
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopping is what was asked for.
        }

        await Task.WhenAll(_sends.Keys).ContinueWith(_ => { }, TaskScheduler.Default);
        _results.Writer.TryComplete();
        _stop.Dispose();
        _inFlight.Dispose();
    }

    private async Task BatchLoopAsync()
    {
        var ct = _stop.Token;
        var reader = _input.Reader;
        var batch = new List<IndexRequest>();
        long bytes = 0;
        var lingerUntil = 0L;
        Task<bool>? waitForInput = null;
        while (true)
        {
            while (reader.TryRead(out var entry))
            {
                if (entry.FlushDone is { } flushDone)
                {
                    await DispatchAsync(batch, ct);
                    (batch, bytes) = ([], 0);
                    await Task.WhenAll(_sends.Keys);
                    flushDone.TrySetResult();
                    continue;
                }

                var request = entry.Request!;
                if (batch.Count > 0 && bytes + request.BulkBytes > _options.BulkMaxBytes)
                {
                    await DispatchAsync(batch, ct);
                    (batch, bytes) = ([], 0);
                }

                if (batch.Count == 0)
                {
                    lingerUntil = Stopwatch.GetTimestamp() + (long)(_options.BulkLinger.TotalSeconds * Stopwatch.Frequency);
                }

                batch.Add(request);
                bytes += request.BulkBytes;
                if (batch.Count >= _options.BulkMaxDocs || bytes >= _options.BulkMaxBytes)
                {
                    await DispatchAsync(batch, ct);
                    (batch, bytes) = ([], 0);
                }
            }

            waitForInput ??= reader.WaitToReadAsync(ct).AsTask();
            if (batch.Count > 0)
            {
                var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), lingerUntil);
                if (remaining > TimeSpan.Zero)
                {
                    await Task.WhenAny(waitForInput, Task.Delay(remaining, ct));
                    ct.ThrowIfCancellationRequested();
                }

                if (!waitForInput.IsCompleted)
                {
                    // Lingered long enough: send what there is.
                    await DispatchAsync(batch, ct);
                    (batch, bytes) = ([], 0);
                    continue;
                }
            }

            var more = await waitForInput;
            waitForInput = null;
            if (!more)
            {
                await DispatchAsync(batch, ct);
                await Task.WhenAll(_sends.Keys);
                return;
            }
        }
    }

    private async Task DispatchAsync(List<IndexRequest> batch, CancellationToken ct)
    {
        if (batch.Count == 0)
        {
            return;
        }

        await _inFlight.WaitAsync(ct);
        var send = SendAndReleaseAsync(batch, ct);
        _sends.TryAdd(send, 0);
        _ = send.ContinueWith(t => _sends.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task SendAndReleaseAsync(List<IndexRequest> batch, CancellationToken ct)
    {
        await Task.Yield();
        try
        {
            await SendAsync(batch, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Disposed mid-send: these requests stay unanswered.
        }
        catch (Exception ex)
        {
            // Not transient and not about one document (e.g. the index template was refused): stop the caller loudly.
            _results.Writer.TryComplete(ex);
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private async Task SendAsync(List<IndexRequest> batch, CancellationToken ct)
    {
        var pending = batch;
        var attempt = 0;
        while (pending.Count > 0)
        {
            pending = await PrepareIndicesAsync(pending, ct);
            if (pending.Count == 0)
            {
                return;
            }

            ElasticsearchResponse response;
            try
            {
                Interlocked.Increment(ref _bulkRequestsSent);
                var started = Stopwatch.GetTimestamp();
                response = await _http.SendAsync(HttpMethod.Post, "_bulk", BulkBody.Write(pending), ElasticsearchHttpClient.NdjsonContentType, ct);
                BulkLatency.Observe(Stopwatch.GetElapsedTime(started));
            }
            catch (Exception ex) when (ElasticsearchHttpClient.IsTransient(ex, ct))
            {
                await _backoff.WaitAsync(attempt++, ct);
                continue;
            }

            if (response.StatusCode is 429 or 401 or 403 or >= 500)
            {
                // Overloaded, restarting, or credentials being rotated: none of it is the documents' fault.
                await _backoff.WaitAsync(attempt++, ct);
                continue;
            }

            if (response.StatusCode != 200)
            {
                // 413 (or another whole-request refusal): halve until the culprit stands alone, then dead-letter it.
                await SplitOrDeadLetterAsync(pending, response, ct);
                return;
            }

            List<BulkItemResult> items;
            try
            {
                items = BulkResponse.Parse(response.Body, pending.Count);
            }
            catch (FormatException)
            {
                await _backoff.WaitAsync(attempt++, ct);
                continue;
            }

            var retry = new List<IndexRequest>();
            for (var i = 0; i < pending.Count; i++)
            {
                var item = items[i];
                switch (item.Status)
                {
                    case 200 or 201:
                        Report(new IndexResult(pending[i], IndexOutcome.Created));
                        break;
                    case 409 when item.ErrorType == "version_conflict_engine_exception":
                        Report(new IndexResult(pending[i], IndexOutcome.AlreadyExisted));
                        break;
                    case 429 or >= 500:
                        retry.Add(pending[i]);
                        break;
                    default:
                        Report(new IndexResult(pending[i], IndexOutcome.DeadLettered, item.ErrorType ?? "http_" + item.Status, item.ErrorReason));
                        break;
                }
            }

            // Only the rejected items go again; the ones written are already reported.
            pending = retry;
            if (pending.Count > 0)
            {
                await _backoff.WaitAsync(attempt++, ct);
            }
        }
    }

    private async Task SplitOrDeadLetterAsync(List<IndexRequest> pending, ElasticsearchResponse response, CancellationToken ct)
    {
        if (pending.Count > 1)
        {
            var half = pending.Count / 2;
            await SendAsync(pending[..half], ct);
            await SendAsync(pending[half..], ct);
            return;
        }

        var (type, reason) = BulkResponse.RequestError(response.Body);
        type ??= response.StatusCode == 413 ? "request_entity_too_large" : "http_" + response.StatusCode;
        reason ??= response.StatusCode == 413
            ? $"the document alone ({pending[0].Document.Length} bytes) is larger than Elasticsearch accepts (http.max_content_length)"
            : $"Elasticsearch refused the request with HTTP {response.StatusCode}";
        Report(new IndexResult(pending[0], IndexOutcome.DeadLettered, type, reason));
    }

    /// <summary>Runs the first-write hook per index; requests whose index it rejects as misnamed are dead-lettered.</summary>
    private async Task<List<IndexRequest>> PrepareIndicesAsync(List<IndexRequest> requests, CancellationToken ct)
    {
        if (_beforeFirstWrite is null)
        {
            return requests;
        }

        var refused = new HashSet<string>(StringComparer.Ordinal);
        foreach (var index in requests.Select(r => r.Index).Distinct(StringComparer.Ordinal))
        {
            var prepared = _preparedIndices.GetOrAdd(index, i => new Lazy<Task>(() => _beforeFirstWrite(i, _stop.Token)));
            try
            {
                await prepared.Value.WaitAsync(ct);
            }
            catch (ArgumentException ex)
            {
                // The name is the document's problem (a renderer bug), not the cluster's: dead-letter, keep going.
                refused.Add(index);
                foreach (var request in requests.Where(r => r.Index == index))
                {
                    Report(new IndexResult(request, IndexOutcome.DeadLettered, "invalid_index_name_exception", ex.Message));
                }
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                // Let the next batch try again rather than remember a failure forever.
                _preparedIndices.TryRemove(new KeyValuePair<string, Lazy<Task>>(index, prepared));
                throw;
            }
        }

        return refused.Count == 0 ? requests : requests.Where(r => !refused.Contains(r.Index)).ToList();
    }

    private void Report(IndexResult result)
    {
        if (result.Outcome == IndexOutcome.DeadLettered)
        {
            ItemFailures.Increment(result.ErrorType ?? "unknown");
        }

        _results.Writer.TryWrite(result);
    }

    private readonly record struct Entry(IndexRequest? Request, TaskCompletionSource? FlushDone);
}
