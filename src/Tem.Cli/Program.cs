using Tem.Cli;

return TemApp.Run(args, Console.Out, Console.Error);
