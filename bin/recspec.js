#!/usr/bin/env node
// Entry point of the `recspec` command: registers tsx so the TypeScript sources (and the code
// recspec generates) run without a build step, then hands over to the CLI.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli.ts");
process.exitCode = await main(process.argv.slice(2));
