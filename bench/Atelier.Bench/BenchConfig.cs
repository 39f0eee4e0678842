using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;

namespace Atelier.Bench;

/// <summary>The one configuration every benchmark shares: the default jobs plus allocations.</summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        Add(DefaultConfig.Instance);
        AddDiagnoser(MemoryDiagnoser.Default);
    }
}
