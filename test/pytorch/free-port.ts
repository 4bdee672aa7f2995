// A TCP port free on this machine now, for torchrun's rendezvous (--master_port). Takes nothing;
// gives the port. Without it every DDP test binds torchrun's default 29500, and two test files that
// vitest runs at the same time (or a second suite on the machine) collide: "Address already in use".
import { createServer } from "node:net";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no free port"))));
    });
  });
}
