// The errors of choosing a backend, both things the user can fix: a `--backend` name recspec does
// not know (RS6007, listing the names it does), and a backend that cannot start on this machine
// (RS6008, with the reason each candidate gave). Takes the name asked for and the reasons; gives
// RunErrors.
import { RunError } from "../errors/run-error.js";

export class UnknownBackendError extends RunError {
  constructor(
    readonly requested: string,
    readonly known: readonly string[],
  ) {
    super("RS6007", `unknown backend "${requested}"; expected one of ${known.join(", ")}`, {
      help: "use one of those names, or leave --backend out to use the fastest backend that loads",
    });
  }
}

export class BackendUnavailableError extends RunError {
  constructor(message: string, help: string) {
    super("RS6008", message, { help });
  }
}
