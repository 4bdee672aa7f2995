// Turns WebGPU device errors into RunErrors. Takes the device; gives a watch that, once attached to
// tfjs's webgpu backend, notes which program ran last and fails the next read-back with RS6010
// naming that program and its shapes. Why: Dawn reports validation and out-of-memory errors
// through an event, after the fact; left alone it prints them and the tensors read as zeros, so a
// run would go on training on garbage.
import type * as tf from "@tensorflow/tfjs-core";
import { RunError } from "../errors/run-error.js";
import type { GpuDevice, GpuError } from "./webgpu-types.js";

export interface DeviceErrorWatch {
  /** Hooks the backend (idempotent): remembers programs, checks for errors at each read. */
  attach(backend: tf.KernelBackend): void;
  /** The first error seen since the last check, as a RunError; clears it. */
  take(): RunError | undefined;
}

interface ProgramLike {
  shaderKey?: string;
  outputShape?: number[];
  constructor: { name: string };
}
interface Hookable {
  runWebGPUProgram(program: ProgramLike, inputs: tf.TensorInfo[], ...rest: unknown[]): tf.TensorInfo;
  read(dataId: object): Promise<unknown>;
}

const hooked = new WeakSet<object>();

export function watchDeviceErrors(device: GpuDevice): DeviceErrorWatch {
  let last = "no program yet";
  let pending: RunError | undefined;
  const record = (kind: string, message: string): void => {
    if (pending !== undefined) return;
    pending = new RunError("RS6010", `WebGPU ${kind} while running ${last}: ${message.split("\n")[0]}`, {
      help: "a tensor may exceed the device's buffer limit: lower batch_size (or --set train.batch_size=…), or run with --backend wasm",
    });
  };
  device.addEventListener("uncapturederror", (event) => {
    event.preventDefault?.();
    record(errorKind(event.error), event.error.message);
  });
  void device.lost.then((info) => {
    // destroy() at exit also "loses" the device; that is no error.
    if (info.reason !== "destroyed") record("device lost", info.message);
  });
  const take = (): RunError | undefined => {
    const e = pending;
    pending = undefined;
    return e;
  };
  return {
    take,
    attach(backend) {
      if (hooked.has(backend)) return;
      hooked.add(backend);
      const b = backend as unknown as Hookable;
      const run = b.runWebGPUProgram.bind(b);
      b.runWebGPUProgram = (program, inputs, ...rest) => {
        const shapes = inputs.map((t) => `[${t.shape.join(",")}]`).join(" ");
        last = `${program.constructor.name} (inputs ${shapes || "none"} → [${(program.outputShape ?? []).join(",")}])`;
        return run(program, inputs, ...rest);
      };
      const read = b.read.bind(b);
      b.read = async (dataId) => {
        const values = await read(dataId);
        const error = take();
        if (error !== undefined) throw error;
        return values;
      };
    },
  };
}

function errorKind(error: GpuError): string {
  const name = error.constructor.name;
  if (/OutOfMemory/i.test(name)) return "out of memory";
  if (/Internal/i.test(name)) return "internal error";
  return "validation error";
}
