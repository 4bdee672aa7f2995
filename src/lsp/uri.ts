// Document URIs ↔ the file paths the compiler works with. Takes a `file:` URI and gives its path;
// any other scheme (an editor's `untitled:Untitled-1` buffer) gets a path of its own under a
// folder named after the scheme (`/untitled/Untitled-1`): unique, named like a file (so the spec
// takes its name from it), and importing nothing beside it. The workspace maps an open document's
// path back to the URI the editor gave; other paths come back as `file:` URIs.
import { fileURLToPath, pathToFileURL } from "node:url";

export function uriToPath(uri: string): string {
  if (uri.startsWith("file:")) {
    try {
      return fileURLToPath(uri);
    } catch {
      // A malformed file URI is named like any other scheme's buffer, below.
    }
  }
  const colon = uri.indexOf(":");
  const scheme = colon > 0 ? uri.slice(0, colon) : "buffer";
  const rest = uri.slice(colon + 1).replace(/[^A-Za-z0-9_.-]+/g, "_");
  return `/${scheme.replace(/[^A-Za-z0-9]+/g, "_")}/${rest || "buffer"}`;
}

export function pathToUri(path: string): string {
  return pathToFileURL(path).href;
}
