// A loopback TCP relay that can be switched off: the engines' way to go offline. WebDriver has no
// `context.setOffline`, so each device of a journey reaches the app (nginx) and the backend
// (json-server) through relays of its own; switched off, a relay drops its open connections and
// resets new ones at once — to the page a fetch fails as it does with no network, and a
// navigation is answered by the service worker or fails. `navigator.onLine` stays true (only the
// browser's own network switch changes it), so the journeys never rely on the offline badge.
// Plain TCP (node:net), so every HTTP detail passes through unchanged; no dependency.
import { createConnection, createServer, type Socket } from "node:net";

export interface Switch {
  /** The relay's origin, e.g. http://127.0.0.1:41234 */
  origin: string;
  set(on: boolean): void;
  stop(): Promise<void>;
}

/** A relay in front of `target` (an http origin on 127.0.0.1), switched on. */
export async function relay(target: string): Promise<Switch> {
  const to = new URL(target);
  let on = true;
  const open = new Set<Socket>();
  const srv = createServer((client) => {
    if (!on) return client.resetAndDestroy();
    const up = createConnection({ host: to.hostname, port: Number(to.port) });
    open.add(client);
    open.add(up);
    const drop = () => {
      client.destroy();
      up.destroy();
      open.delete(client);
      open.delete(up);
    };
    client.on("error", drop).on("close", drop);
    up.on("error", drop).on("close", drop);
    client.pipe(up);
    up.pipe(client);
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const port = (srv.address() as { port: number }).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    set(value: boolean) {
      on = value;
      if (!on) for (const s of open) s.resetAndDestroy();
    },
    stop() {
      for (const s of open) s.destroy();
      return new Promise<void>((r) => srv.close(() => r()));
    },
  };
}
