using Atelier.Bench;
using BenchmarkDotNet.Running;

if (args.Length > 0 && args[0] == "pipeline")
{
    return await RegistrationPipeline.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(BenchConfig).Assembly).Run(args, new BenchConfig());
return 0;
