// Starts tfjs's WebGPU backend in Node on Dawn (the npm `webgpu` package). Takes whether a software
// adapter (Mesa's lavapipe, SwiftShader) is acceptable; gives the selection the CLI prints (the
// adapter's name in the matmul line), the device's buffer limits for the memory planner, and a
// release function that lets Node exit.
//
// Why the backend is registered here rather than by the package: its own factory asks for an
// adapter we cannot inspect first, keeps the default limit of 8 storage buffers per stage, and
// leaves device errors to be printed, not thrown. Both packages are optional dependencies, loaded
// by dynamic import so their absence means "not available", never a crash.
import * as tf from "@tensorflow/tfjs-core";
import { installChunkedAddN } from "./webgpu-addn.js";
import { installFirstIndexArgMinMax } from "./webgpu-arg-min-max.js";
import { hardwareVulkanDriverListed } from "./vulkan-drivers.js";
import { watchDeviceErrors, type DeviceErrorWatch } from "./webgpu-device-errors.js";
import type { DawnModule, Gpu, GpuAdapter, GpuDevice, TfjsWebGpuModule } from "./webgpu-types.js";

/** What the adapter says about itself, and whether it is a CPU pretending to be a GPU. */
export interface WebGpuAdapter {
  vendor: string;
  architecture: string;
  description: string;
  software: boolean;
}

/** The device limits a plan of allocations must respect. */
export interface WebGpuLimits {
  /** Largest buffer one shader may bind: a tensor above it is silently wrong, so none may be. */
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  maxStorageBuffersPerShaderStage: number;
}

interface Started {
  adapter: WebGpuAdapter;
  limits: WebGpuLimits;
  device: GpuDevice;
  watch: DeviceErrorWatch;
}

let started: Started | undefined;
let gpu: Gpu | null | undefined;

/** The adapter Dawn would give us, or why there is none (package missing, no Vulkan driver). */
export async function probeWebGpu(): Promise<{ adapter: GpuAdapter; info: WebGpuAdapter } | string> {
  const g = await loadGpu();
  if (typeof g === "string") return g;
  const adapter = await g.requestAdapter({ powerPreference: "high-performance" });
  if (adapter === null) return "no WebGPU adapter (no Vulkan/Metal/D3D12 driver found; on Linux see scripts/setup-lavapipe.sh)";
  return { adapter, info: describeAdapter(adapter) };
}

/** Makes "webgpu" the current tfjs backend on the best adapter; a reason string when it cannot. */
export async function startWebGpu(allowSoftware: boolean): Promise<{ name: "webgpu"; tfjsBackend: "webgpu"; matmul: string } | string> {
  if (started === undefined) {
    // Chosen automatically on Linux, only where a hardware Vulkan driver is installed: elsewhere
    // Dawn would only find lavapipe or nothing, printing warnings as it looks.
    if (!allowSoftware && process.platform === "linux" && !hardwareVulkanDriverListed()) return "no hardware Vulkan driver installed";
    const probe = await probeWebGpu();
    if (typeof probe === "string") return probe;
    if (probe.info.software && !allowSoftware) return `the only adapter is a software one (${probe.info.description}); ask for it with --backend webgpu`;
    const { adapter, info } = probe;
    // Ask for everything the adapter allows: tfjs only raises a few limits, and the storage-buffer
    // count (8 by default) caps addN and concat.
    const want = ["maxStorageBufferBindingSize", "maxBufferSize", "maxStorageBuffersPerShaderStage", "maxComputeWorkgroupStorageSize"] as const;
    const requiredLimits: Record<string, number> = {};
    for (const k of [...want, "maxComputeWorkgroupsPerDimension", "maxComputeWorkgroupSizeX", "maxComputeInvocationsPerWorkgroup"]) {
      requiredLimits[k] = adapter.limits[k];
    }
    const requiredFeatures = adapter.features.has("timestamp-query") ? ["timestamp-query"] : [];
    const device = await adapter.requestDevice({ requiredLimits, requiredFeatures });
    // A variable specifier: the package is optional, so tsc must not need it.
    const tfjsWebGpu: string = "@tensorflow/tfjs-backend-webgpu";
    const { WebGPUBackend } = (await import(tfjsWebGpu)) as TfjsWebGpuModule;
    // The package registers its own factory on import; replace it with one that hands over ours.
    if (tf.findBackendFactory("webgpu") !== null) tf.removeBackend("webgpu");
    tf.registerBackend("webgpu", () => new WebGPUBackend(device, adapter.info), 0);
    // Small tensors would otherwise run on a hidden cpu backend, and results would depend on size.
    tf.env().set("WEBGPU_CPU_FORWARD", false);
    const limits: WebGpuLimits = {
      maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
      maxBufferSize: device.limits.maxBufferSize,
      maxStorageBuffersPerShaderStage: device.limits.maxStorageBuffersPerShaderStage,
    };
    installChunkedAddN(limits.maxStorageBuffersPerShaderStage - 1);
    installFirstIndexArgMinMax();
    started = { adapter: info, limits, device, watch: watchDeviceErrors(device) };
  }
  if (!(await tf.setBackend("webgpu"))) return "tfjs's webgpu backend failed to start";
  started.watch.attach(tf.backend());
  const { adapter, limits } = started;
  const kind = adapter.software ? "software adapter" : "GPU";
  const mib = Math.round(limits.maxStorageBufferBindingSize / 2 ** 20);
  return { name: "webgpu", tfjsBackend: "webgpu", matmul: `WebGPU on ${adapter.description} (${kind}; ${mib} MiB per buffer)` };
}

/** The running device's limits; undefined when webgpu was never started. */
export function webGpuLimits(): WebGpuLimits | undefined {
  return started?.limits;
}

/** The adapter in use; undefined when webgpu was never started. */
export function webGpuAdapter(): WebGpuAdapter | undefined {
  return started?.adapter;
}

/** Drops the backend, the device and the adapter so nothing keeps Node's event loop alive. */
export function releaseWebGpu(): void {
  if (started === undefined) return;
  if (tf.findBackendFactory("webgpu") !== null) tf.removeBackend("webgpu");
  started.device.destroy();
  started = undefined;
  gpu = undefined;
}

/** Software adapters: useful for tests, never faster than wasm, so never chosen on their own. */
export function isSoftwareAdapter(info: {
  architecture?: string;
  description?: string;
  device?: string;
  vendor?: string;
  isFallbackAdapter?: boolean;
}): boolean {
  if (info.isFallbackAdapter === true) return true;
  const text = `${info.architecture ?? ""} ${info.description ?? ""} ${info.device ?? ""}`.toLowerCase();
  return /\bsoftware\b|llvmpipe|lavapipe|swiftshader|\bwarp\b/.test(text);
}

function describeAdapter(adapter: GpuAdapter): WebGpuAdapter {
  const info = adapter.info;
  const description = info.description || [info.vendor, info.architecture, info.device].filter(Boolean).join(" ") || "unnamed adapter";
  return { vendor: info.vendor, architecture: info.architecture, description, software: isSoftwareAdapter(info) };
}

/** Dawn's GPU object, created once; tfjs's backend looks for it at navigator.gpu. */
async function loadGpu(): Promise<Gpu | string> {
  if (gpu === null) return "the webgpu package is not installed";
  if (gpu !== undefined) return gpu;
  let dawn: DawnModule;
  try {
    const specifier: string = "webgpu";
    dawn = (await import(specifier)) as typeof dawn;
  } catch (error) {
    gpu = null;
    return `the webgpu package could not be loaded (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`;
  }
  // GPUBufferUsage and friends are globals in a browser; tfjs reads them as such.
  Object.assign(globalThis, dawn.globals);
  const created = dawn.create([]);
  const nav = (globalThis as { navigator?: { gpu?: Gpu } }).navigator;
  if (nav === undefined) Object.defineProperty(globalThis, "navigator", { value: { gpu: created }, configurable: true, writable: true });
  else if (nav.gpu === undefined) Object.defineProperty(nav, "gpu", { value: created, configurable: true, writable: true });
  gpu = created;
  return created;
}
