using SkateBot.Cli;

return await CliApp.RunAsync(args);
