// The environment a child process needs to reach a WebGPU adapter in the webgpu tests. Takes the
// current environment; gives it with VK_ICD_FILENAMES pointing at the lavapipe driver that
// scripts/setup-lavapipe.sh unpacked under .cache/lavapipe, when that exists and nothing else was
// chosen. On a machine with a GPU driver installed the system's ICDs serve instead.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export function webGpuEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  const icd = path.join(env.RECSPEC_LAVAPIPE_DIR ?? path.join(REPO, ".cache/lavapipe"), "root/usr/share/vulkan/icd.d/lvp_icd.json");
  if (env.VK_ICD_FILENAMES === undefined && existsSync(icd)) env.VK_ICD_FILENAMES = icd;
  return env;
}
