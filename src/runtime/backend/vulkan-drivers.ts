// Whether a Linux machine lists a hardware Vulkan driver, read from the loader's manifest folders
// without loading anything. Takes the environment; gives true, or false when every manifest found
// is a software driver (lavapipe, SwiftShader) or there are none. Why: the automatic backend choice
// may only pick a GPU, and starting Dawn where Vulkan has no driver prints warnings to stderr on
// every run; this check keeps it from starting at all there.
import { existsSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const SOFTWARE_MANIFEST = /lvp|lavapipe|swiftshader|swrast/i;

export function hardwareVulkanDriverListed(env: NodeJS.ProcessEnv = process.env): boolean {
  const manifests = listedManifests(env);
  return manifests.some((m) => !SOFTWARE_MANIFEST.test(path.basename(m)));
}

function listedManifests(env: NodeJS.ProcessEnv): string[] {
  // An explicit list replaces the search, as it does for the Vulkan loader.
  const explicit = env.VK_DRIVER_FILES ?? env.VK_ICD_FILENAMES;
  if (explicit !== undefined && explicit !== "") return explicit.split(path.delimiter).filter((f) => f !== "");
  const home = os.homedir();
  const dirs = [
    path.join(env.XDG_CONFIG_HOME ?? path.join(home, ".config"), "vulkan/icd.d"),
    "/etc/xdg/vulkan/icd.d",
    "/etc/vulkan/icd.d",
    path.join(env.XDG_DATA_HOME ?? path.join(home, ".local/share"), "vulkan/icd.d"),
    "/usr/local/share/vulkan/icd.d",
    "/usr/share/vulkan/icd.d",
  ];
  const out: string[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    try {
      for (const name of readdirSync(dir)) if (name.endsWith(".json")) out.push(path.join(dir, name));
    } catch {
      // An unreadable folder lists nothing the loader could use either.
    }
  }
  return out;
}
