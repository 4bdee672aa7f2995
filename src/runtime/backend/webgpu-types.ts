// The few WebGPU and Dawn shapes the runtime touches, declared here so it type-checks without the
// optional `webgpu` and `@webgpu/types` packages installed. Takes nothing; gives types only.

export interface GpuLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  maxStorageBuffersPerShaderStage: number;
  [name: string]: number;
}

export interface GpuAdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter?: boolean;
}

export interface GpuError {
  message: string;
  constructor: { name: string };
}

export interface GpuDevice {
  limits: GpuLimits;
  lost: Promise<{ reason: string; message: string }>;
  destroy(): void;
  pushErrorScope(filter: "validation" | "out-of-memory" | "internal"): void;
  popErrorScope(): Promise<GpuError | null>;
  addEventListener(type: "uncapturederror", listener: (event: { error: GpuError; preventDefault?: () => void }) => void): void;
}

export interface GpuAdapter {
  limits: GpuLimits;
  features: { has(name: string): boolean };
  info: GpuAdapterInfo;
  requestDevice(descriptor: { requiredLimits: Record<string, number>; requiredFeatures: string[] }): Promise<GpuDevice>;
}

export interface Gpu {
  requestAdapter(options: { powerPreference: "high-performance" | "low-power" }): Promise<GpuAdapter | null>;
}

/** The `webgpu` package (Dawn for Node). */
export interface DawnModule {
  create(flags: string[]): Gpu;
  globals: object;
}

/** The part of @tensorflow/tfjs-backend-webgpu's module used here. */
export interface TfjsWebGpuModule {
  WebGPUBackend: new (device: GpuDevice, adapterInfo: GpuAdapterInfo) => import("@tensorflow/tfjs-core").KernelBackend;
}
