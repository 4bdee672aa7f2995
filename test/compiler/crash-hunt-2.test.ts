// Crash hunt, part 2 of 4 (cases 2500 to 4999 of test/helpers/crash-hunt.ts): mutated and random specs
// through `recspec check` and `recspec fmt` must exit 0 or 1, with no internal error or stack trace,
// each command within a second of CPU time. The parts are separate files so that vitest runs them
// side by side.
import { describeHuntPart } from "../helpers/crash-hunt.js";

describeHuntPart(2, 4);
