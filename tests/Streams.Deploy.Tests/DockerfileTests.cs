using System.Text.Json;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Streams.Hosting;
using Streams.Hosting.Http;

namespace Streams.Deploy.Tests;

/// <summary>deploy/docker/Dockerfile builds what the repository has and runs what the CLI serves.</summary>
[TestFixture]
public sealed partial class DockerfileTests
{
    private static readonly string Path_ = Path.Combine(Repo.Deploy, "docker", "Dockerfile");

    private static List<(string Instruction, string Arguments)> Instructions()
    {
        // Joins continuation lines, drops comments and the parser directive.
        var logical = Regex.Replace(File.ReadAllText(Path_), @"\\\r?\n", " ");
        return logical.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => (l.Split(' ', 2)[0].ToUpperInvariant(), l.Split(' ', 2).ElementAtOrDefault(1)?.Trim() ?? string.Empty))
            .ToList();
    }

    private static List<string> JsonArray(string text) => JsonSerializer.Deserialize<List<string>>(text)!;

    [Test]
    public void It_builds_in_the_sdk_and_runs_on_the_runtime_of_the_target_framework()
    {
        var from = Instructions().Where(i => i.Instruction == "FROM").Select(i => i.Arguments).ToList();
        var framework = Regex.Match(File.ReadAllText(Path.Combine(Repo.Root, "Directory.Build.props")), "<TargetFramework>net([0-9.]+)</TargetFramework>").Groups[1].Value;
        Assert.That(from, Has.Count.EqualTo(2), "multi-stage");
        Assert.That(from[0], Is.EqualTo($"mcr.microsoft.com/dotnet/sdk:{framework} AS build"));
        Assert.That(from[1], Is.EqualTo($"mcr.microsoft.com/dotnet/aspnet:{framework} AS runtime"), "ASP.NET Core runtime: the health endpoint is Kestrel");
    }

    [Test]
    public void Everything_it_copies_from_the_repository_exists_and_is_not_docker_ignored()
    {
        var ignored = File.ReadAllLines(Path.Combine(Repo.Root, ".dockerignore")).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        foreach (var (_, args) in Instructions().Where(i => i.Instruction == "COPY" && !i.Arguments.Contains("--from=", StringComparison.Ordinal)))
        {
            var parts = args.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(p => !p.StartsWith("--", StringComparison.Ordinal)).ToList();
            foreach (var source in parts[..^1])
            {
                var path = Path.Combine(Repo.Root, source.TrimEnd('/'));
                Assert.That(File.Exists(path) || Directory.Exists(path), $"COPY {source}: not in the repository");
                Assert.That(ignored, Has.None.EqualTo(source).And.None.EqualTo(source.TrimEnd('/') + "/"), $"COPY {source}: excluded by .dockerignore");
            }
        }

        var publish = Instructions().Single(i => i.Instruction == "RUN" && i.Arguments.StartsWith("dotnet publish", StringComparison.Ordinal)).Arguments;
        var project = publish.Split(' ')[2];
        Assert.That(File.Exists(Path.Combine(Repo.Root, project)), project);
        Assert.That(Regex.Match(File.ReadAllText(Path.Combine(Repo.Root, project)), "<AssemblyName>(.+)</AssemblyName>").Groups[1].Value, Is.EqualTo(Repo.CliExecutable));
    }

    [Test]
    public void The_entrypoint_is_the_cli_and_the_default_command_is_one_of_its_commands()
    {
        var instructions = Instructions();
        Assert.That(JsonArray(instructions.Single(i => i.Instruction == "ENTRYPOINT").Arguments), Is.EqualTo(new[] { Repo.CliExecutable }));
        Assert.That(instructions.Single(i => i.Instruction == "ENV").Arguments, Does.Contain("PATH=\"/app:${PATH}\""), "the published apphost is on the PATH");
        Repo.AssertCliAccepts(JsonArray(instructions.Single(i => i.Instruction == "CMD").Arguments), "CMD");
        foreach (var command in new[] { "topology", "sink" })
        {
            Repo.AssertCliAccepts([command], "the image's " + command);
        }
    }

    [Test]
    public void It_runs_as_a_non_root_user_exposes_the_endpoint_and_probes_liveness_with_the_cli()
    {
        var instructions = Instructions();
        var user = instructions.Last(i => i.Instruction == "USER").Arguments;
        Assert.That(user.Split(':')[0], Is.Not.EqualTo("0").And.Not.EqualTo("root"));
        Assert.That(instructions.Single(i => i.Instruction == "EXPOSE").Arguments, Is.EqualTo(ServiceOptions.DefaultHttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var env = instructions.Single(i => i.Instruction == "ENV").Arguments;
        Assert.That(env, Does.Contain($"STREAMS_HTTP_PORT={ServiceOptions.DefaultHttpPort}"));
        var state = Regex.Match(env, "STREAMS_STATE_DIR=(\\S+)").Groups[1].Value;
        Assert.That(JsonArray(instructions.Single(i => i.Instruction == "VOLUME").Arguments), Is.EqualTo(new[] { state }), "the RocksDB state is a volume");

        var check = instructions.Single(i => i.Instruction == "HEALTHCHECK").Arguments;
        var probe = JsonArray(check[(check.IndexOf("CMD [", StringComparison.Ordinal) + 4)..]);
        Assert.That(probe[0], Is.EqualTo(Repo.CliExecutable));
        var url = new Uri(Repo.AssertCliAccepts(probe[1..], "HEALTHCHECK").GetValue<string>("--url")!);
        Assert.That((url.AbsolutePath, url.Port), Is.EqualTo((ServiceEndpoint.LivePath, ServiceOptions.DefaultHttpPort)));
    }

    [Test]
    public void The_native_libraries_librdkafka_needs_are_installed()
    {
        var install = Instructions().Single(i => i.Instruction == "RUN" && i.Arguments.Contains("apt-get install", StringComparison.Ordinal)).Arguments;
        // librdkafka.so from librdkafka.redist links libsasl2.so.3; TLS to MSK and Elasticsearch needs the CA bundle.
        Assert.That(install, Does.Contain("libsasl2-2").And.Contain("ca-certificates"));
    }
}
