using System.Text;
using System.Text.Json.Nodes;
using Streams.Connectors.Elasticsearch;

namespace Streams.Connectors.Tests.Elasticsearch;

[TestFixture]
public sealed class IndexSetupTests
{
    private const string Mappings = """{"dynamic":"strict","properties":{"message":{"type":"match_only_text"}}}""";

    [Test]
    public async Task Template_and_policy_are_in_place_before_the_first_document_creates_the_index()
    {
        await using var es = await ElasticsearchDouble.StartAsync();
        var options = new ElasticsearchOptions
        {
            Urls = [es.Url],
            IlmDeleteAfterDays = 7,
            NumberOfReplicas = 0,
            BulkLinger = TimeSpan.FromMilliseconds(5),
        };
        using var http = new ElasticsearchHttpClient(options);
        var setup = new IndexSetup(http, options, _ => Encoding.UTF8.GetBytes(Mappings));
        await using var indexer = new BulkIndexer(http, options, setup.PrepareIndexAsync);

        await indexer.AddAsync(TestTargets.Doc("a", index: "curated-nginx-2026.11.26"), CancellationToken.None);
        await TestTargets.ResultsAsync(indexer, 1);

        var template = es.Template("curated-nginx")!;
        var settings = template["template"]!["settings"]!;
        var policy = es.Policy("curated-retention")!;
        Assert.Multiple(() =>
        {
            Assert.That(es.TemplateExistedWhenCreated("curated-nginx-2026.11.26"), Is.True);
            Assert.That(template["index_patterns"]![0]!.GetValue<string>(), Is.EqualTo("curated-nginx-*"));
            Assert.That(settings["number_of_shards"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(settings["number_of_replicas"]!.GetValue<int>(), Is.EqualTo(0));
            Assert.That(settings["index.lifecycle.name"]!.GetValue<string>(), Is.EqualTo("curated-retention"));
            Assert.That(settings["index.lifecycle.parse_origination_date"]!.GetValue<bool>(), Is.True);
            Assert.That(template["template"]!["mappings"]!["dynamic"]!.GetValue<string>(), Is.EqualTo("strict"));
            Assert.That(template["_meta"]!["version"]!.GetValue<int>(), Is.EqualTo(IndexSetup.SetupVersion));
            Assert.That(template["priority"]!.GetValue<int>(), Is.GreaterThan(0));
            Assert.That(policy["policy"]!["phases"]!["delete"]!["min_age"]!.GetValue<string>(), Is.EqualTo("7d"));
            Assert.That(policy["policy"]!["phases"]!["delete"]!["actions"]!["delete"], Is.Not.Null);
            Assert.That(policy["policy"]!["phases"]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "hot", "delete" }));
            Assert.That(policy["policy"]!["phases"]!["hot"]!["actions"]!.AsObject(), Is.Empty, "daily indices never roll over");
        });
    }

    /// <summary>
    /// The bodies of Elasticsearch 8's "Create or update lifecycle policy API" (PUT _ilm/policy/&lt;policy_id&gt;:
    /// policy.phases.&lt;phase&gt;.min_age/actions, policy._meta) and "Create or update index template API"
    /// (PUT _index_template/&lt;name&gt;: index_patterns, priority, template.settings/mappings, _meta), as documented.
    /// </summary>
    [Test]
    public async Task The_policy_and_template_requests_have_the_documented_elasticsearch_8_bodies_and_precede_the_first_bulk()
    {
        await using var es = await ElasticsearchDouble.StartAsync();
        var options = new ElasticsearchOptions
        {
            Urls = [es.Url],
            IlmDeleteAfterDays = 14,
            NumberOfShards = 1,
            NumberOfReplicas = 2,
            BulkLinger = TimeSpan.FromMilliseconds(5),
        };
        using var http = new ElasticsearchHttpClient(options);
        var setup = new IndexSetup(http, options, _ => Encoding.UTF8.GetBytes(Mappings));
        await using var indexer = new BulkIndexer(http, options, setup.PrepareIndexAsync);

        await indexer.AddAsync(TestTargets.Doc("a", index: "curated-elb-2026.11.21"), CancellationToken.None);
        await indexer.AddAsync(TestTargets.Doc("b", index: "curated-elb-2026.11.22"), CancellationToken.None);
        await TestTargets.ResultsAsync(indexer, 2);

        var expectedPolicy = JsonNode.Parse($$"""
            {
              "policy": {
                "_meta": { "managed_by": "streams", "version": {{IndexSetup.SetupVersion}} },
                "phases": {
                  "hot": { "actions": {} },
                  "delete": { "min_age": "14d", "actions": { "delete": {} } }
                }
              }
            }
            """);
        var expectedTemplate = JsonNode.Parse($$"""
            {
              "index_patterns": ["curated-elb-*"],
              "priority": 200,
              "template": {
                "settings": {
                  "number_of_shards": 1,
                  "number_of_replicas": 2,
                  "index.lifecycle.name": "curated-retention",
                  "index.lifecycle.parse_origination_date": true
                },
                "mappings": {{Mappings}}
              },
              "_meta": { "managed_by": "streams", "version": {{IndexSetup.SetupVersion}} }
            }
            """);
        var log = es.RequestLog;
        var firstBulk = log.ToList().IndexOf("POST /_bulk");
        Assert.Multiple(() =>
        {
            Assert.That(JsonNode.DeepEquals(es.Policy("curated-retention"), expectedPolicy), Is.True, es.Policy("curated-retention")?.ToJsonString());
            Assert.That(JsonNode.DeepEquals(es.Template("curated-elb"), expectedTemplate), Is.True, es.Template("curated-elb")?.ToJsonString());
            Assert.That(log.Take(2), Is.EqualTo(new[] { "PUT /_ilm/policy/curated-retention", "PUT /_index_template/curated-elb" }), "the policy, then the template");
            Assert.That(firstBulk, Is.EqualTo(2), "no bulk request before both");
            Assert.That(log.Count(l => l.StartsWith("PUT", StringComparison.Ordinal)), Is.EqualTo(2), "installed once for both days");
            Assert.That(es.TemplateExistedWhenCreated("curated-elb-2026.11.21"), Is.True);
        });
    }

    [Test]
    public async Task A_document_for_an_index_outside_the_naming_scheme_is_dead_lettered_and_the_rest_written()
    {
        await using var es = await ElasticsearchDouble.StartAsync();
        var options = TestTargets.OptionsFor(es, maxDocs: 2, lingerMs: 60_000);
        using var http = new ElasticsearchHttpClient(options);
        var setup = new IndexSetup(http, options, _ => Encoding.UTF8.GetBytes(Mappings));
        await using var indexer = new BulkIndexer(http, options, setup.PrepareIndexAsync);

        await indexer.AddAsync(TestTargets.Doc("a", index: "nginx"), CancellationToken.None);
        await indexer.AddAsync(TestTargets.Doc("b", index: "curated-nginx-2026.11.26"), CancellationToken.None);

        var results = (await TestTargets.ResultsAsync(indexer, 2)).ToDictionary(r => r.Request.Id);
        Assert.Multiple(() =>
        {
            Assert.That(results["a"].Outcome, Is.EqualTo(IndexOutcome.DeadLettered));
            Assert.That(results["a"].ErrorType, Is.EqualTo("invalid_index_name_exception"));
            Assert.That(results["b"].Outcome, Is.EqualTo(IndexOutcome.Created));
            Assert.That(es.DocumentCount("nginx"), Is.Zero);
        });
    }

    [Test]
    public async Task A_refused_template_stops_the_indexer_loudly_instead_of_dead_lettering_every_document()
    {
        await using var es = await ElasticsearchDouble.StartAsync();
        es.RefuseTemplatesBecause = "No handler for type [match_only_txt] declared on field [message]";
        var options = TestTargets.OptionsFor(es);
        using var http = new ElasticsearchHttpClient(options);
        var setup = new IndexSetup(http, options, _ => Encoding.UTF8.GetBytes(Mappings));
        await using var indexer = new BulkIndexer(http, options, setup.PrepareIndexAsync);

        await indexer.AddAsync(TestTargets.Doc("a"), CancellationToken.None);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => indexer.Results.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Multiple(() =>
        {
            Assert.That(failure!.Message, Does.Contain("_index_template/curated-nginx").And.Contain("match_only_txt"));
            Assert.That(es.TotalDocuments, Is.Zero);
        });
    }

    [Test]
    public async Task Installing_twice_is_harmless()
    {
        await using var es = await ElasticsearchDouble.StartAsync();
        var options = new ElasticsearchOptions { Urls = [es.Url] };
        using var http = new ElasticsearchHttpClient(options);
        var setup = new IndexSetup(http, options, _ => Encoding.UTF8.GetBytes(Mappings));

        await setup.InstallAsync("mysql-slow", CancellationToken.None);
        await new IndexSetup(http, options, _ => Encoding.UTF8.GetBytes(Mappings)).InstallAsync("mysql-slow", CancellationToken.None);

        Assert.That(es.Template("curated-mysql-slow")!["index_patterns"]![0]!.GetValue<string>(), Is.EqualTo("curated-mysql-slow-*"));
    }

    [Test]
    public void Index_names_carry_the_source_and_a_date_ilm_can_parse()
    {
        var options = new ElasticsearchOptions();
        using var http = new ElasticsearchHttpClient(options);
        var setup = new IndexSetup(http, options, _ => Encoding.UTF8.GetBytes("{}"));

        Assert.Multiple(() =>
        {
            Assert.That(setup.IndexName("mysql-slow", new DateOnly(2026, 1, 2)), Is.EqualTo("curated-mysql-slow-2026.01.02"));
            Assert.That(setup.SourceOf("curated-mysql-slow-2026.01.02"), Is.EqualTo("mysql-slow"));
            Assert.That(() => setup.SourceOf("curated-nginx-2026-01-02"), Throws.ArgumentException);
            Assert.That(() => setup.SourceOf("other-nginx-2026.01.02"), Throws.ArgumentException);
            Assert.That(() => setup.SourceOf("curated-2026.01.02"), Throws.ArgumentException);
        });
    }
}
