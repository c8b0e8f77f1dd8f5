using BenchmarkDotNet.Running;

namespace Streams.Benchmarks;

internal static class Program
{
    // dotnet run -c Release --project bench/Streams.Benchmarks -- --filter '*'
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
