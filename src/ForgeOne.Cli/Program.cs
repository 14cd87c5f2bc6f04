using ForgeOne.Cli;

StartupProfile.Start(args);
return await ForgeCommandLine.InvokeAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
