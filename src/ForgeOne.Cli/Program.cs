using ForgeOne.Cli;

return await ForgeCommandLine.InvokeAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
