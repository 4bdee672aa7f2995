// Which adapters count as software (never chosen automatically over wasm): lavapipe/llvmpipe,
// SwiftShader, WARP and anything Dawn marks as a fallback; real GPUs are not; and which driver
// manifests let the automatic choice start Dawn at all. Pure logic: no adapter is needed.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hardwareVulkanDriverListed } from "../../src/runtime/backend/vulkan-drivers.js";
import { isSoftwareAdapter } from "../../src/runtime/backend/webgpu-backend.js";

describe("isSoftwareAdapter", () => {
  it("recognises CPU implementations of WebGPU", () => {
    expect(isSoftwareAdapter({ vendor: "mesa", architecture: "software", description: "llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)" })).toBe(true);
    expect(isSoftwareAdapter({ vendor: "google", description: "SwiftShader Device (Subzero)" })).toBe(true);
    expect(isSoftwareAdapter({ vendor: "microsoft", description: "Microsoft Basic Render Driver", device: "warp" })).toBe(true);
    expect(isSoftwareAdapter({ vendor: "nvidia", description: "NVIDIA H100", isFallbackAdapter: true })).toBe(true);
  });

  it("takes hardware GPUs for what they are", () => {
    expect(isSoftwareAdapter({ vendor: "nvidia", architecture: "hopper", description: "NVIDIA H100 80GB HBM3" })).toBe(false);
    expect(isSoftwareAdapter({ vendor: "amd", architecture: "rdna-3", description: "AMD Radeon RX 7900 XTX (RADV NAVI31)" })).toBe(false);
    expect(isSoftwareAdapter({ vendor: "intel", architecture: "gen-12lp", description: "Intel(R) UHD Graphics 770" })).toBe(false);
  });
});

describe("hardwareVulkanDriverListed", () => {
  it("ignores software driver manifests and honours an explicit list", () => {
    expect(hardwareVulkanDriverListed({ VK_ICD_FILENAMES: "/x/lvp_icd.json" })).toBe(false);
    expect(hardwareVulkanDriverListed({ VK_ICD_FILENAMES: `/x/lvp_icd.json${path.delimiter}/y/nvidia_icd.json` })).toBe(true);
    expect(hardwareVulkanDriverListed({ VK_DRIVER_FILES: "/z/radeon_icd.x86_64.json" })).toBe(true);
  });
});
