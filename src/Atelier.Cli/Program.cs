using Atelier.Cli;

return await AtelierCli.RunAsync(args);
