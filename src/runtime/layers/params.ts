// A store of named trainable variables. Takes a seed; gives tf.Variables created on first request
// and returned unchanged afterwards, so a model is "built" by running its forward pass once.
// Each variable's initial values come from an Rng forked from (seed, full name): adding, removing or
// reordering parameters never changes the values of the others.
import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "../random.js";
import type { Init } from "./initializers.js";

/** Shared state behind a root store and all its scoped views. */
interface Registry {
  readonly seed: number;
  readonly trainable: boolean;
  readonly vars: Map<string, tf.Variable>;
}

export interface ParamStoreOptions {
  /** Whether created variables are trainable (default true). */
  trainable?: boolean;
}

export class ParamStore {
  private readonly registry: Registry;
  /** "" for the root, else "a/b/" — always ends with a slash when non-empty. */
  readonly prefix: string;

  constructor(seed: number, options: ParamStoreOptions = {}) {
    this.registry = { seed, trainable: options.trainable ?? true, vars: new Map() };
    this.prefix = "";
  }

  /** A view whose names are prefixed with `prefix/`; it shares variables with this store. */
  scope(prefix: string): ParamStore {
    if (prefix === "" || prefix.includes("/")) {
      throw new Error(`ParamStore.scope: prefix must be non-empty and contain no '/', got '${prefix}'`);
    }
    const view = Object.create(ParamStore.prototype) as ParamStore;
    Object.assign(view, { registry: this.registry, prefix: `${this.prefix}${prefix}/` });
    return view;
  }

  /**
   * The variable called `name` in this scope: created with `init` on the first call, the same
   * object afterwards. Throws if a later call asks for a different shape (two layers claiming
   * one name by mistake).
   */
  get(name: string, shape: readonly number[], init: Init): tf.Variable {
    const full = this.prefix + name;
    const existing = this.registry.vars.get(full);
    if (existing !== undefined) {
      if (!sameShape(existing.shape, shape)) {
        throw new Error(`ParamStore: '${full}' exists with shape [${existing.shape}], requested [${shape}]`);
      }
      return existing;
    }
    for (const d of shape) {
      if (!Number.isInteger(d) || d <= 0) throw new Error(`ParamStore: '${full}' has bad shape [${shape}]`);
    }
    const values = init(shape, new Rng(this.registry.seed).fork(full));
    // tf.variable shares the initial tensor's data; dispose our handle so only the variable holds it.
    // No tfjs name is passed: tfjs names are global, and two stores may use the same names.
    const initial = tf.tensor(values, [...shape], "float32");
    const variable = tf.variable(initial, this.registry.trainable);
    initial.dispose();
    this.registry.vars.set(full, variable);
    return variable;
  }

  /** Whether `name` exists in this scope. */
  has(name: string): boolean {
    return this.registry.vars.has(this.prefix + name);
  }

  /** The variables under this scope, keyed by full name, in sorted name order. */
  variables(): Map<string, tf.Variable> {
    const names = [...this.registry.vars.keys()].filter((n) => n.startsWith(this.prefix)).sort();
    return new Map(names.map((n) => [n, this.registry.vars.get(n)!]));
  }

  /** Total number of scalar parameters under this scope. */
  count(): number {
    let total = 0;
    for (const v of this.variables().values()) total += v.size;
    return total;
  }

  /** Disposes and forgets the variables under this scope (all of them for the root). */
  dispose(): void {
    for (const [name, v] of this.variables()) {
      v.dispose();
      this.registry.vars.delete(name);
    }
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
