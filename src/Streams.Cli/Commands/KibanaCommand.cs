using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Streams.Cli.Commands;

/// <summary>
/// <c>streams kibana import --url URL [--api-key K | --user U --password P] [--file F]</c>: loads the saved objects
/// (data views, Lens visualizations, dashboards) into Kibana with its import API,
/// <c>POST /api/saved_objects/_import?overwrite=true</c>, the NDJSON as the multipart form field <c>file</c> and the
/// <c>kbn-xsrf</c> header Kibana requires. Objects keep their fixed ids, so importing again updates them in place.
/// Exit 0 when Kibana reports success, 1 when it refuses or reports errors, 2 on bad arguments.
/// </summary>
internal static class KibanaCommand
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadArguments = 2;
    public const string DefaultFile = "deploy/kibana/saved-objects.ndjson";

    public static Command Build()
    {
        var kibana = new Command("kibana", "Kibana as code: the data views and dashboards of deploy/kibana.");
        kibana.Subcommands.Add(BuildImport());
        return kibana;
    }

    private static Command BuildImport()
    {
        var url = new Option<string>("--url") { Description = "Kibana's base URL, e.g. https://kibana:5601 (with the space path, /s/<space>, if not the default space).", Required = true };
        var apiKey = new Option<string?>("--api-key") { Description = "An Elasticsearch API key (the base64 \"encoded\" value), sent as \"Authorization: ApiKey …\"." };
        var user = new Option<string?>("--user") { Description = "User for basic authentication (with --password)." };
        var password = new Option<string?>("--password") { Description = "Password for basic authentication (with --user)." };
        var file = new Option<string>("--file") { Description = "The saved objects NDJSON to import.", DefaultValueFactory = _ => DefaultFile };
        var command = new Command("import", "Import (overwriting) the saved objects into Kibana with POST /api/saved_objects/_import?overwrite=true.")
        {
            url, apiKey, user, password, file,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var request = ImportRequest.From(parse.GetValue(url)!, parse.GetValue(apiKey), parse.GetValue(user), parse.GetValue(password), parse.GetValue(file)!, out var problem);
            if (request is null)
            {
                await error.WriteLineAsync($"streams kibana import: {problem}");
                return BadArguments;
            }

            return await ImportAsync(request, parse.InvocationConfiguration.Output, error, cancel);
        });
        return command;
    }

    private static async Task<int> ImportAsync(ImportRequest request, TextWriter output, TextWriter error, CancellationToken cancel)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        using var message = request.ToHttpRequest();
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, cancel);
        }
        catch (HttpRequestException ex)
        {
            await error.WriteLineAsync($"streams kibana import: cannot reach Kibana at {request.Endpoint}: {ex.Message}");
            return Failed;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancel);
            var outcome = ImportOutcome.Parse((int)response.StatusCode, body);
            foreach (var line in outcome.Errors)
            {
                await error.WriteLineAsync($"streams kibana import: {line}");
            }

            if (!outcome.Success)
            {
                await error.WriteLineAsync($"streams kibana import: {outcome.Summary}");
                return Failed;
            }

            await output.WriteLineAsync($"streams kibana import: {outcome.Summary} from {request.FilePath} into {request.Endpoint.GetLeftPart(UriPartial.Path)}");
            return Ok;
        }
    }
}

/// <summary>The validated arguments of one import, and the HTTP request Kibana's import API documents.</summary>
internal sealed record ImportRequest(Uri Endpoint, AuthenticationHeaderValue? Authorization, string FilePath)
{
    public static ImportRequest? From(string url, string? apiKey, string? user, string? password, string filePath, out string problem)
    {
        problem = string.Empty;
        if (!Uri.TryCreate(url.TrimEnd('/'), UriKind.Absolute, out var baseUri) || (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps))
        {
            problem = $"--url '{url}' must be an absolute http or https URL";
            return null;
        }

        if (apiKey is not null && (user is not null || password is not null))
        {
            problem = "--api-key cannot be combined with --user/--password; choose one way to authenticate";
            return null;
        }

        if ((user is null) != (password is null))
        {
            problem = user is null ? "--password needs --user" : "--user needs --password";
            return null;
        }

        if (!File.Exists(filePath))
        {
            problem = $"--file '{filePath}' does not exist";
            return null;
        }

        var authorization = apiKey is not null
            ? new AuthenticationHeaderValue("ApiKey", apiKey)
            : user is not null ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"))) : null;
        var endpoint = new Uri(baseUri.AbsoluteUri.TrimEnd('/') + "/api/saved_objects/_import?overwrite=true");
        return new ImportRequest(endpoint, authorization, filePath);
    }

    public HttpRequestMessage ToHttpRequest()
    {
        var file = new ByteArrayContent(File.ReadAllBytes(FilePath));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/ndjson");
        var form = new MultipartFormDataContent { { file, "file", Path.GetFileName(FilePath) } };
        var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = form };
        request.Headers.Add("kbn-xsrf", "true");
        request.Headers.Authorization = Authorization;
        return request;
    }
}

/// <summary>Kibana's answer to an import: <c>success</c>, <c>successCount</c> and <c>errors[]</c>, or an HTTP error body.</summary>
internal sealed record ImportOutcome(bool Success, string Summary, IReadOnlyList<string> Errors)
{
    public static ImportOutcome Parse(int statusCode, string body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return new ImportOutcome(false, $"Kibana answered HTTP {statusCode} with a body that is not JSON: {Shorten(body)}", []);
        }

        using (document)
        {
            var root = document.RootElement;
            if (statusCode != 200 || root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("success", out var success))
            {
                // Kibana's HTTP errors: {"statusCode":400,"error":"Bad Request","message":"…"}.
                var message = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("message", out var m) ? m.GetString() : Shorten(body);
                return new ImportOutcome(false, $"Kibana refused the import with HTTP {statusCode}: {message}", []);
            }

            var count = root.TryGetProperty("successCount", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : 0;
            var errors = root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Array
                ? e.EnumerateArray().Select(Describe).ToList()
                : [];
            var ok = success.ValueKind == JsonValueKind.True && errors.Count == 0;
            var summary = ok
                ? $"{count} saved objects imported"
                : $"the import failed: {count} saved objects imported, {errors.Count} with errors";
            return new ImportOutcome(ok, summary, errors);
        }
    }

    // {"id":…,"type":…,"meta":{"title":…},"error":{"type":"missing_references","references":[{"type":…,"id":…}]}}
    private static string Describe(JsonElement error)
    {
        var type = Text(error, "type");
        var id = Text(error, "id");
        var title = error.TryGetProperty("meta", out var meta) && meta.ValueKind == JsonValueKind.Object ? Text(meta, "title") : Text(error, "title");
        var detail = error.TryGetProperty("error", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : default;
        var kind = detail.ValueKind == JsonValueKind.Object ? Text(detail, "type") : "unknown";
        var text = $"{type} {id}{(title.Length > 0 ? $" (\"{title}\")" : string.Empty)}: {kind}";
        if (detail.ValueKind == JsonValueKind.Object && detail.TryGetProperty("references", out var references) && references.ValueKind == JsonValueKind.Array)
        {
            text += " of " + string.Join(", ", references.EnumerateArray().Select(r => $"{Text(r, "type")} {Text(r, "id")}"));
        }

        if (detail.ValueKind == JsonValueKind.Object && Text(detail, "message") is { Length: > 0 } message)
        {
            text += ": " + message;
        }

        return text;
    }

    private static string Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;

    private static string Shorten(string body) => body.Length <= 200 ? body : body[..200] + "…";
}
