namespace ForgeOne.Cli;

/// <summary>Reads a passphrase at the terminal without echoing it.</summary>
internal static class PassphrasePrompt
{
    /// <summary>
    /// Prompts on stderr and reads a line from the console with echo off; null when no one can answer (input is
    /// redirected, as in scripts and CI), so the caller can say which variable to set instead.
    /// </summary>
    internal static char[]? Read(string prompt, bool confirm)
    {
        if (Console.IsInputRedirected)
        {
            return null;
        }

        var first = ReadOnce(prompt);
        if (!confirm)
        {
            return first;
        }

        var second = ReadOnce("Repeat passphrase: ");
        var same = first.AsSpan().SequenceEqual(second);
        Array.Clear(second);
        if (!same)
        {
            Array.Clear(first);
            throw new ArgumentException("The passphrases differ; run the command again.");
        }

        return first;
    }

    private static char[] ReadOnce(string prompt)
    {
        Console.Error.Write(prompt);
        var buffer = new List<char>();
        try
        {
            for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
            {
                if (key.Key == ConsoleKey.Backspace)
                {
                    if (buffer.Count > 0)
                    {
                        buffer.RemoveAt(buffer.Count - 1);
                    }
                }
                else if (!char.IsControl(key.KeyChar))
                {
                    buffer.Add(key.KeyChar);
                }
            }

            Console.Error.WriteLine();
            return [.. buffer];
        }
        finally
        {
            // The list's backing array held the passphrase; overwrite it before it goes back to the heap.
            for (var i = 0; i < buffer.Count; i++)
            {
                buffer[i] = '\0';
            }
        }
    }
}
