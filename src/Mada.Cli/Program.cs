using Mada.Cli;

return await MadaCli.RunAsync(args, Terminal.Standard);
