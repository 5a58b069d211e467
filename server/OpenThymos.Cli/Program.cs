// Entry point of the `thymos` tool: builds the verbs, maps parse errors to exit code 2 and adds the exit-code epilog to help.
using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using OpenThymos.Cli.Commands;
using OpenThymos.Cli.Errors;
using OpenThymos.Cli.Output;

namespace OpenThymos.Cli;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var root = BuildRoot();
        var result = root.Parse(args);
        if (result.Errors.Count > 0 && result.Action is not HelpAction and not EpilogHelpAction)
        {
            foreach (var error in result.Errors)
            {
                await Screen.ErrorAsync($"thymos: {error.Message}").ConfigureAwait(false);
            }

            await Screen.ErrorAsync("Run `thymos --help` (or `thymos <verb> --help`) for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await result.InvokeAsync().ConfigureAwait(false);
    }

    /// <summary>The root command with every verb.</summary>
    internal static RootCommand BuildRoot()
    {
        var root = new RootCommand("thymos: review, approve and audit what coding agents propose for a workspace governed by OpenThymos.")
        {
            GlobalOptions.Workspace,
            GlobalOptions.KeyDir,
            GlobalOptions.Json,
        };
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(McpCommand.Create());
        root.Subcommands.Add(ProposeCommand.Create());
        root.Subcommands.Add(ProposalCommands.Pending());
        root.Subcommands.Add(ProposalCommands.Show());
        root.Subcommands.Add(ProposalCommands.Approve());
        root.Subcommands.Add(ProposalCommands.Reject());
        root.Subcommands.Add(LedgerCommands.Log());
        root.Subcommands.Add(LedgerCommands.Verify());
        root.Subcommands.Add(LedgerCommands.Replay());
        root.Subcommands.Add(LedgerCommands.Drift());
        root.Subcommands.Add(LedgerCommands.Revert());
        root.Subcommands.Add(WritCommands.Grant());
        root.Subcommands.Add(WritCommands.Revoke());
        root.Subcommands.Add(PolicyCommands.Policy());
        root.Subcommands.Add(LedgerCommands.Export());
        root.Subcommands.Add(RestoreCommands.AcceptRestored());
        foreach (var option in root.Options)
        {
            if (option is HelpOption { Action: HelpAction help } helpOption)
            {
                helpOption.Action = new EpilogHelpAction(help);
            }
        }

        return root;
    }

    /// <summary>The default help followed by the exit codes.</summary>
    private sealed class EpilogHelpAction(HelpAction inner) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var code = inner.Invoke(parseResult);
            parseResult.InvocationConfiguration.Output.WriteLine(ExitCodes.Epilog);
            return code;
        }
    }
}
