using Atelier.Bench.Images;
using BenchmarkDotNet.Running;

// `dotnet run -c Release -- query [N]` times single queries against N hashes (default 1,000,000) and
// prints p50/p99 and queries per second on every core; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "query")
{
    QueryTimer.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000);
    return;
}

if (args.Length > 0 && args[0] == "photos")
{
    PhotoTimer.Run(args.Length > 1 ? args[1] : "../shared/data/images/dev");
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, new BenchConfig());
