using NUnit.Framework;
using Streams.Hosting;
using Streams.Hosting.Http;
using YamlDotNet.RepresentationModel;

namespace Streams.Deploy.Tests;

/// <summary>deploy/local/docker-compose.yml runs the CLI's commands with the endpoint's port and imports the Kibana objects.</summary>
[TestFixture]
public sealed class ComposeTests
{
    private static YamlMappingNode Services()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Repo.Deploy, "local", "docker-compose.yml"));
        yaml.Load(reader);
        return (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
    }

    private static IEnumerable<(string Name, YamlMappingNode Service)> StreamsServices() =>
        Services().Children.Select(kv => (((YamlScalarNode)kv.Key).Value!, Merged((YamlMappingNode)kv.Value)))
            .Where(s => s.Item2.Children.TryGetValue("image", out var image) && ((YamlScalarNode)image).Value == "streams:local");

    /// <summary>A service with its YAML merge key (&lt;&lt;: *streams) applied, as Compose applies it.</summary>
    private static YamlMappingNode Merged(YamlMappingNode service)
    {
        var merged = new YamlMappingNode();
        if (service.Children.TryGetValue("<<", out var baseNode))
        {
            foreach (var (key, value) in ((YamlMappingNode)baseNode).Children)
            {
                merged.Add(key, value);
            }
        }

        foreach (var (key, value) in service.Children.Where(kv => ((YamlScalarNode)kv.Key).Value != "<<"))
        {
            merged.Children[key] = value;
        }

        return merged;
    }

    [Test]
    public void Every_streams_service_runs_a_command_of_the_cli_with_the_endpoint_port()
    {
        var services = StreamsServices().ToList();
        Assert.That(services.Select(s => s.Name), Is.SupersetOf(new[] { "topics", "topology", "sink" }));
        foreach (var (name, service) in services)
        {
            var command = ((YamlSequenceNode)service["command"]).Select(n => ((YamlScalarNode)n).Value!).ToList();
            if (command[0] == "connect" && !Repo.CliHas("connect"))
            {
                // streams connect is written alongside; until it is in the CLI, hold the shape it will have.
                Assert.That(command, Has.Count.EqualTo(2).And.ItemAt(1).AnyOf("mysql", "mongodb", "laravel", "elb"), name);
            }
            else
            {
                Repo.AssertCliAccepts(command, name);
            }

            if (service.Children.TryGetValue("ports", out var ports))
            {
                var mapping = ((YamlScalarNode)((YamlSequenceNode)ports)[0]).Value!;
                Assert.That(mapping.Split(':')[1], Is.EqualTo(ServiceOptions.DefaultHttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)), name);
            }

            var health = (YamlMappingNode)service["healthcheck"];
            if (!health.Children.TryGetValue("test", out var test))
            {
                // A one-shot job (topics apply) has no endpoint to probe.
                Assert.That(((YamlScalarNode)health["disable"]).Value, Is.EqualTo("true"), name);
                continue;
            }

            var check = ((YamlSequenceNode)test).Select(n => ((YamlScalarNode)n).Value!).ToList();
            Assert.That(check[..2], Is.EqualTo(new[] { "CMD", Repo.CliExecutable }), name);
            {
                var url = new Uri(Repo.AssertCliAccepts(check[2..], name + " healthcheck").GetValue<string>("--url")!);
                Assert.That(url.AbsolutePath, Is.EqualTo(ServiceEndpoint.LivePath));
            }
        }
    }

    [Test]
    public void The_kibana_objects_are_imported_from_deploy_kibana()
    {
        var import = (YamlMappingNode)Services()["kibana-objects"];
        var volume = ((YamlScalarNode)((YamlSequenceNode)import["volumes"])[0]).Value!;
        var source = Path.GetFullPath(Path.Combine(Repo.Deploy, "local", volume.Split(':')[0]));
        Assert.That(source, Is.EqualTo(Path.Combine(Repo.Deploy, "kibana", "saved-objects.ndjson")));
        Assert.That(string.Join(' ', ((YamlSequenceNode)import["command"]).Select(n => ((YamlScalarNode)n).Value)), Does.Contain("/api/saved_objects/_import"));
    }
}
