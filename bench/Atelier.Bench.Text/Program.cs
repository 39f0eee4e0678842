using Atelier.Bench.Text;
using BenchmarkDotNet.Running;

if (args is ["memory", ..])
{
    var documents = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
    IndexMemoryReport.Run(documents);
    return;
}

if (args is ["sweep", var sets, ..])
{
    var seeds = args.Length > 3 ? args[3].Split(',').Select(x => int.Parse(x, System.Globalization.CultureInfo.InvariantCulture)).ToArray() : [42];
    ParameterSweep.Run(sets, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 200, seeds);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(BenchConfig).Assembly).Run(args, new BenchConfig());
