using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;

namespace Atelier.Bench;

/// <summary>The one configuration every benchmark shares: the default jobs plus allocations and the median.</summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        Add(DefaultConfig.Instance);
        AddDiagnoser(MemoryDiagnoser.Default);

        // Figures are reported as medians (the brief), beside BenchmarkDotNet's mean.
        AddColumn(StatisticColumn.Median);
    }
}
