using SignNotebooks.Cli;

// `signnb <command> [subcommand] [--option value] [--flag]`. Commands are discovered by reflection so each
// area of the library adds its own file under Commands/ without touching a shared table.
return CommandLine.Run(args);
