// Lets a generated program import "recspec/runtime" wherever it was written — beside a spec in any
// folder, with recspec installed there, globally, or run from this checkout — by resolving that one
// specifier to this copy of the runtime. Installed once per process, before the program is imported.
import { register } from "node:module";

const RUNTIME_URL = new URL("../runtime/index.ts", import.meta.url).href;

const HOOK = `
export async function resolve(specifier, context, next) {
  if (specifier === "recspec/runtime") return next(${JSON.stringify(RUNTIME_URL)}, context);
  return next(specifier, context);
}`;

let installed = false;

export function resolveRuntimeHere(): void {
  if (installed) return;
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`);
  installed = true;
}
