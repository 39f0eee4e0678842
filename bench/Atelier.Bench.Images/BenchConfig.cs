using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;

namespace Atelier.Bench.Images;

/// <summary>
/// Shared configuration: memory diagnoser, median and tail columns (STYLE.md "Benchmarks"). The p99 of a
/// single index query comes from the <c>query</c> command, which times 10,000 queries one by one.
/// </summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        Add(DefaultConfig.Instance);
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Median, StatisticColumn.P95, StatisticColumn.Max);
    }
}
