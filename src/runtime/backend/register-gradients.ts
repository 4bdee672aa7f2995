// Registers tfjs-core's gradient functions, which its Node entry point leaves out. Takes nothing;
// gives `ensureGradients()`, idempotent, after which tf.grad / tf.grads / optimizers work (it also
// installs the chained tensor methods, x.reshape(...) etc., which some gradients call).
//
// Why: `@tensorflow/tfjs-core`'s "main" (dist/tf-core.node.js, CommonJS) ships no gradients; only
// the `@tensorflow/tfjs` union package imports `dist/register_all_gradients.js`, and that file is
// ES-module source with extensionless and directory imports that Node's resolver rejects. Without
// it every tf.grad fails with "gradient function not found for Sum". We load it through a small
// loader hook that (only for files inside tfjs-core/dist) treats .js as ES modules and retries
// failed relative imports with ".js" / "/index.js". The gradients land in tfjs's global registry,
// so the CommonJS core everyone else imports sees them. Cost: the ES build of core is loaded once
// (a few seconds on a busy 2-core machine). Under vitest, vite resolves the same file itself.
// Sum and Mean then get gradients that need no host-side ones tensor (reduction-gradients.ts).
import * as tf from "@tensorflow/tfjs-core";
import { register } from "node:module";
import { registerReductionGradients } from "./reduction-gradients.js";

const HOOKS = `
const DIST = "/@tensorflow/tfjs-core/dist/";
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (!(context.parentURL ?? "").includes(DIST) || !specifier.startsWith(".")) throw error;
    for (const suffix of [".js", "/index.js"]) {
      try { return await next(specifier + suffix, context); } catch {}
    }
    throw error;
  }
}
export async function load(url, context, next) {
  if (url.includes(DIST) && url.endsWith(".js") && !url.endsWith("/tf-core.node.js")) {
    return next(url, { ...context, format: "module" });
  }
  return next(url, context);
}`;

let loading: Promise<void> | undefined;

/** True when tfjs has gradient functions registered (checked on a kernel every model uses). */
export function gradientsRegistered(): boolean {
  return tf.getGradient("Sum") !== undefined;
}

/** Makes sure tfjs-core's gradients are registered; cheap after the first call. */
export function ensureGradients(): Promise<void> {
  if (gradientsRegistered()) {
    registerReductionGradients();
    return Promise.resolve();
  }
  loading ??= load().catch((error: unknown) => {
    loading = undefined;
    throw new Error(`could not register tfjs gradients: ${error instanceof Error ? error.message : String(error)}`);
  });
  return loading;
}

async function load(): Promise<void> {
  // Vite (vitest) transforms the ES source itself; plain Node and tsx need the hook.
  if (!isVite()) register(`data:text/javascript,${encodeURIComponent(HOOKS)}`);
  // A variable specifier keeps bundlers and tsc from resolving the file at build time.
  const specifier = "@tensorflow/tfjs-core/dist/register_all_gradients.js";
  await import(specifier);
  // Some gradients call chained methods (x.reshape(...)) that the Node build never installs on the
  // Tensor prototype; this patches the shared (global) Tensor class.
  const chained = "@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js";
  await import(chained);
  if (!gradientsRegistered()) throw new Error("register_all_gradients.js loaded but registered nothing");
  registerReductionGradients();
}

function isVite(): boolean {
  return typeof (import.meta as { env?: unknown }).env === "object";
}
